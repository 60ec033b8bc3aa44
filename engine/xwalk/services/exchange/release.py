"""Releases that can be cited: `xwalk release --output DIR [--since PREVIOUS]` writes the dataset's dumps named
after its version (the content digest), its VoID/DCAT description with each file's SHA-256, a `SHA256SUMS` file,
`release.json`, and a changelog of the data: the mappings added, retyped, changed (strength or rationale) and removed
since a previous release, computed from the two releases' graphs (the previous release's N-Quads dump is loaded and
both are read with the same `export_mappings` query). A mapping is known by its set, subject and object.
"""

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

from xwalk.core.errors import XwalkError
from xwalk.core.paths import display
from xwalk.services.exchange import description
from xwalk.services.exchange.export import write

DUMPS = ("trig", "nq")
RELEASE_FILE = "release.json"
CHANGELOG_COLUMNS = (
    "change",
    "mapping_set",
    "subject",
    "object",
    "relation",
    "previous_relation",
    "strength",
    "mapping",
)


def release(store, out_dir: Path, since: Path | None = None, base: str = description.BASE, issued=None) -> list[Path]:
    """Write a release of the store into `out_dir` (which must exist); returns the files written."""
    if not out_dir.is_dir():
        raise XwalkError(f"--output {out_dir}: no such folder; create it first")
    if not hasattr(store, "serialize"):
        raise XwalkError("release a local store (the source files or --store), not a remote endpoint")
    previous = _previous(since) if since is not None else None  # read first: a bad --since writes nothing
    issued = issued or date.today()
    digest = description.version(store)
    short = digest[:16]
    files: dict[str, bytes] = {}
    described = description.with_description(store)
    for extension in DUMPS:
        files[f"xwalk-{short}.{extension}"] = described.serialize(extension)
    changes = changelog(previous[1], store) if previous else []
    files["CHANGELOG.csv"] = _changelog_csv(changes).encode("utf-8")
    files["CHANGELOG.md"] = _changelog_md(changes, short, previous[0] if previous else None).encode("utf-8")
    sums = {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}
    files["void.ttl"] = description.turtle(store, base, issued=issued, downloads=sums, digest=digest).encode("utf-8")
    sums["void.ttl"] = hashlib.sha256(files["void.ttl"]).hexdigest()
    files["SHA256SUMS"] = "".join(f"{sums[name]}  {name}\n" for name in sorted(sums)).encode("utf-8")
    info = {
        "version": short,
        "digest": f"sha256:{digest}",
        "version_iri": description.version_iri(digest),
        "issued": issued.isoformat(),
        "nquads": f"xwalk-{short}.nq",
        "since": previous[0]["version"] if previous else None,
        "changes": {
            kind: sum(c["change"] == kind for c in changes) for kind in ("added", "retyped", "changed", "removed")
        },
    }
    files[RELEASE_FILE] = (json.dumps(info, indent=2) + "\n").encode("utf-8")
    for name, content in files.items():
        write(out_dir / name, content)
    return sorted(out_dir / name for name in files)


def _previous(folder: Path):
    """A previous release: its release.json and its store, checked against its checksums."""
    from xwalk.store import Store

    info_path = folder / RELEASE_FILE
    if not info_path.is_file():
        raise XwalkError(f"--since {display(folder)}: no {RELEASE_FILE}; give the folder of an earlier `xwalk release`")
    try:
        info = json.loads(info_path.read_text("utf-8"))
        dump = folder / info["nquads"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise XwalkError(
            f"--since {display(info_path)}: not a release description (expected JSON with 'nquads')"
        ) from None
    if not dump.is_file():
        raise XwalkError(f"--since {display(folder)}: the dump {info['nquads']} named in {RELEASE_FILE} is missing")
    sums = {}
    if (folder / "SHA256SUMS").is_file():
        for line in (folder / "SHA256SUMS").read_text("utf-8").splitlines():
            value, _, name = line.partition("  ")
            sums[name] = value
    if sums.get(dump.name) not in (None, hashlib.sha256(dump.read_bytes()).hexdigest()):
        raise XwalkError(f"--since {display(dump)}: its SHA-256 differs from SHA256SUMS; the file was changed")
    store = Store()
    try:
        store.load_dump(dump.read_bytes())
    except SyntaxError as error:
        raise XwalkError(f"--since {display(dump)}: not valid N-Quads ({error})") from None
    return info, store


def _rows(store) -> dict[tuple[str, str, str], dict]:
    return {(r["set"], r["subject"], r["object"]): r for r in store.select("export_mappings")}


def changelog(before, after) -> list[dict]:
    """The mapping rows that differ between two stores: added, retyped (another relation), changed (same relation,
    another strength or rationale) and removed, in the order of set, subject, object."""
    old, new = _rows(before), _rows(after)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is None:
            kind = "added"
        elif b is None:
            kind = "removed"
        elif a["relation"] != b["relation"]:
            kind = "retyped"
        elif (a["strength"], a["comment"]) != (b["strength"], b["comment"]):
            kind = "changed"
        else:
            continue
        row = b if b is not None else a
        assert row is not None  # the key is in one of the two
        changes.append(
            {
                "change": kind,
                "mapping_set": key[0],
                "subject": key[1],
                "object": key[2],
                "relation": "" if b is None else b["relation"],
                "previous_relation": "" if a is None else a["relation"],
                "strength": "" if row["strength"] is None else row["strength"],
                "mapping": row["mapping"],
            }
        )
    return changes


def _changelog_csv(changes: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CHANGELOG_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(changes)
    return out.getvalue()


def _changelog_md(changes: list[dict], version: str, previous: dict | None) -> str:
    lines = [f"# xwalk data release {version}", ""]
    if previous is None:
        lines += ["First release: no earlier release was given (`--since`), so no changes are listed.", ""]
        return "\n".join(lines)
    counts = {kind: sum(c["change"] == kind for c in changes) for kind in ("added", "retyped", "changed", "removed")}
    lines += [
        f"Changes of the mappings since release {previous.get('version')}: "
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
        + ". Every row is in CHANGELOG.csv.",
        "",
        "| change | subject | relation | object | before |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {c['change']} | {c['subject']} | {c['relation']} | {c['object']} | {c['previous_relation']} |"
        for c in changes
    ]
    return "\n".join(lines) + "\n"
