"""OSCAL (1.2) documents as plain dicts: the catalogs and mapping sets of the graph exported as OSCAL catalogs and
mapping-collections, a baseline exported as a profile or a system security plan, and those read back.

Identifiers. An OSCAL id is a token that starts with a letter, so a provision's control id is its standard's CURIE
prefix and its IRI's last segment joined by `_`: `iso27001_A.5.15`, `iso42001_6.1.2`, `euaia_art-26-5`. Reading,
any other id goes through the one normaliser (`ids.py`), so `A.5.15`, `a.5.15` or `5.15` work too.

Mapping-collections. One per mapping set, with one mapping from the subject standard's catalog to the object's. The
relations are NIST IR 8477's, as the OSCAL mapping model names them: `equal` is `equivalent-to` (OSCAL 1.2 keeps
`equal-to` for identical wording, which two standards' provisions never have; xwalk's `equal` means the same outcome
in different words; read back: both), `subset_of` is `subset-of`, `superset_of` `superset-of`, `intersects_with`
`intersects-with`, `no_relationship` `no-relationship`; the matching rationale is `semantic`. Strength (1-10),
justification, author, reviewer and date are properties in the xwalk namespace; the rationale is the map's
remarks. Confidence: `high` when a second reviewer agreed, `medium` when the reviewers disagreed before resolving,
`low` for a derived mapping (composed by rule), `unspecified` otherwise. A derived map links to the two mappings of
its chain (rel `derived-from`). OSCAL maps controls and statements only, so a mapping whose subject or object is a
group of its catalog (a 42001 objective such as A.6, a 23894 annex) is left out of the collection; the export
lists those in `group-level-mappings.csv` and each collection's remarks say how many it lacks (docs/oscal.md).

Catalogs. Every control carries a `statement` part, as OSCAL asks of a control that is not withdrawn: a pointer to
the provision in its standard (the provision's notation and IRI), never the standard's text.

Document UUIDs are derived from the document's content (without its timestamp): the same input gives the same UUID,
a revised document (another baseline, changed mappings) a new one, as OSCAL expects of a revision.

Baselines. A system security plan carries each held provision as an implemented requirement whose by-component
`implementation-status` is the status (implemented, partial, planned, not-applicable for excluded, and `planned`
with the remark "not implemented" for not implemented); a profile selects the held provisions, which count as
implemented.

This module holds the format's rules (identifiers, UUIDs, relationships, states) and the writers; `oscal_read`
reads documents back (mapping-collections, and baselines as the rows of a Statement of Applicability, so that one
set of rules, `baseline.py`, applies to every format); `oscal_check` checks the constraints the JSON schema cannot
express. Nothing here imports an OSCAL library: compliance-trestle validates the output in the tests only.

Why long: the format's rules and its four writers (catalog, mapping-collection, SSP, profile), which share the
identifier, UUID and metadata helpers; the readers and the checks are modules of their own.
"""

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime

from xwalk import __version__
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import ID, XW
from xwalk.services.catalog import Catalog

OSCAL_VERSION = "1.2.1"
MAX_BYTES = 50 * 1024 * 1024
NS = XW.rstrip("#")  # namespace of the properties OSCAL does not define
SEMANTIC = "semantic"
RELATIONSHIP = {
    "equal": "equivalent-to",
    "subset_of": "subset-of",
    "superset_of": "superset-of",
    "intersects_with": "intersects-with",
    "no_relationship": "no-relationship",
}
FROM_RELATIONSHIP = {v: k for k, v in RELATIONSHIP.items()} | {"equal-to": "equal"}
# baseline status -> OSCAL implementation-status state, and back
STATE = {
    "implemented": "implemented",
    "partially implemented": "partial",
    "planned": "planned",
    "not implemented": "planned",
    "excluded": "not-applicable",
}
NOT_IMPLEMENTED = "not implemented"  # the remark that tells "not implemented" from "planned"
FROM_STATE = {
    "implemented": "implemented",
    "alternative": "implemented",  # met by an alternative implementation
    "partial": "partially implemented",
    "planned": "planned",
    "not-applicable": "excluded",
}
PROFILE_FILE = "baseline.profile.json"  # the file the SSP imports: the export writes the profile under this name
SSP_FILE = "baseline.ssp.json"
UUID_TYPE = "http://ietf.org/rfc/rfc4122"  # OSCAL's current identifier-type for a UUID (https://... is deprecated)
SSP_PROPS = {"control-origination", "marking"}  # props an implemented requirement may have in OSCAL's own namespace
CONTENT_NOTE = (
    "ISO/IEC provisions appear as identifiers and short titles only; the standards' text is not reproduced. "
    "EU AI Act content: (c) European Union, EUR-Lex, CELEX 32024R1689."
)


def uuid_for(*parts: str) -> str:
    """A stable UUID (version 5) for a thing named by IRIs, so that a new export of the same data is the same."""
    import uuid  # only exports need it; uuid imports platform, slow for a command start

    return str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(parts)))


def document(root: str, body: dict) -> dict:
    """An OSCAL document `{root: body}` whose UUID is derived from its content without the timestamp, so the same
    input gives the same UUID and a revised document a new one."""
    meta = {k: v for k, v in body.get("metadata", {}).items() if k != "last-modified"}
    content = json.dumps({**body, "metadata": meta}, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return {root: {"uuid": uuid_for(ID, root, digest), **body}}


def control_id(prefix: str, iri: str) -> str:
    return f"{prefix}_{iri.rsplit('/', 1)[-1]}"


def metadata(title: str, when: datetime | None = None, **extra) -> dict:
    when = (when or datetime.now(UTC)).replace(microsecond=0)
    return {
        "title": title,
        "last-modified": when.isoformat(),
        "version": __version__,
        "oscal-version": OSCAL_VERSION,
        **{k.replace("_", "-"): v for k, v in extra.items() if v},
    }


def _prop(name: str, value, ns: str | None = NS) -> dict:
    return {"name": name, "value": str(value), **({"ns": ns} if ns else {})}


def _canonical(iri: str) -> dict:
    return {"href": iri, "rel": "canonical"}


# ---------------------------------------------------------------- catalogs


def catalog(cat: Catalog, key: str, when: datetime | None = None) -> dict:
    """The provisions of one standard as an OSCAL catalog: structural provisions whose parents are groups become
    groups, every other provision a control, nested as in the standard; ids and short titles only."""
    standard, children, groups = layout(cat, key)

    def props(row: dict) -> list[dict]:
        return [
            _prop("label", row["notation"], None),
            _prop("sort-id", f"{row['order']:05d}", None),
            _prop("normativity", row["normativity"]),
        ]

    def node(row: dict) -> dict:
        return {
            "id": control_id(standard.prefix, row["provision"]),
            "class": _token(row["kind"]),
            "title": row["title"],
            "props": props(row),
            "links": [_canonical(row["provision"])],
        }

    def control(row: dict) -> dict:
        found = node(row)
        found["parts"] = [_statement(found["id"], row["notation"], row["provision"], standard.identifier)]
        if kids := children.get(row["provision"]):
            found["controls"] = [control(k) for k in kids]
        return found

    def group(row: dict) -> dict:
        found = node(row)
        kids = children[row["provision"]]
        if kids[0]["provision"] in groups:
            found["groups"] = [group(k) for k in kids]
        else:
            found["controls"] = [control(k) for k in kids]
        return found

    top = children.get(None, [])
    body: dict[str, object] = {
        "metadata": metadata(
            f"{standard.identifier}: identifiers and short titles (xwalk)",
            when,
            links=[_canonical(standard.iri)],
            remarks=CONTENT_NOTE,
            props=[_prop("standard-key", standard.key)],
        ),
    }
    if top_groups := [group(r) for r in top if r["provision"] in groups]:
        body["groups"] = top_groups
    if controls := [control(r) for r in top if r["provision"] not in groups]:
        body["controls"] = controls
    return document("catalog", body)


def layout(cat: Catalog, key: str):
    """A standard's provisions for its catalog: the standard, the rows (of `export_provisions`) by parent IRI, and
    the IRIs that become groups: structural provisions with children whose parent is the catalog or a group. A
    group holds either groups or controls (compliance-trestle's model allows no mix), so its children are groups
    only when all of them could be."""
    standard = cat.standard(key)
    children: dict[str | None, list[dict]] = {}
    for row in cat.store.select("export_provisions", key=standard.key):
        children.setdefault(row["parent"], []).append(row)

    def could_be_group(row: dict) -> bool:
        return row["normativity"] == "Structural" and bool(children.get(row["provision"]))

    groups: set[str] = set()
    pending = [r for r in children.get(None, []) if could_be_group(r)]
    while pending:
        row = pending.pop()
        groups.add(row["provision"])
        kids = children[row["provision"]]
        if all(could_be_group(k) for k in kids):
            pending.extend(kids)
    return standard, children, groups


def _statement(control: str, notation: str, iri: str, identifier: str) -> dict:
    """The statement part OSCAL asks of every control: a pointer to the provision, not its text."""
    return {
        "id": f"{control}_smt",
        "name": "statement",
        "prose": f"The requirement of {notation} in {identifier} ({iri}); its text is not reproduced here.",
    }


def _token(kind: str) -> str:
    """`ControlObjective` -> `control-objective`."""
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in kind).lstrip("-")


# ---------------------------------------------------------------- mapping-collections


def mapping_collection(
    mapping_set: dict, rows: list[dict], prefixes: dict[str, str], when=None, left_out: int = 0
) -> dict:
    """One mapping set (a row of the `export_mapping_sets` query) with its records (rows of `export_mappings`) as an
    OSCAL mapping-collection. `prefixes` maps a standard key to its CURIE prefix; `left_out` counts the set's
    mappings to groups, which the collection cannot hold (the remarks say so).

    Why long: one OSCAL document assembled in the order of its schema.
    """
    derived = bool(mapping_set["derived"])
    s_key, o_key = mapping_set["subject_key"], mapping_set["object_key"]
    title = mapping_set["title"] or f"Derived mappings from {s_key} to {o_key} (mapping chaining)"
    agents = _agents(rows)
    description = mapping_set["description"] or (
        "Mappings derived by composing two curated xwalk mappings (A-B, B-C gives A-C) through the composition "
        "table of NIST IR 8477 relations; each keeps its chain and the strength of its weakest link."
    )
    provenance = {
        "method": "automation" if derived else "human",
        "matching-rationale": SEMANTIC,
        "status": "complete",
        "mapping-description": description,
        "props": [_prop("license", mapping_set["license"])],
        "links": [{"href": mapping_set["license"], "rel": "license"}],
    }
    parties: list[dict] = []
    responsible: list[dict[str, str | list[str]]] = []
    for role, people in (("mapping-author", agents["author"]), ("mapping-reviewer", agents["reviewer"])):
        if people:
            responsible.append({"role-id": role, "party-uuids": [uuid_for(iri) for iri in people]})
    for iri, name in {**agents["author"], **agents["reviewer"]}.items():
        parties.append({"uuid": uuid_for(iri), "type": "organization", "name": name or iri, "links": [_canonical(iri)]})
    if responsible:
        provenance["responsible-parties"] = responsible
    role_ids = [str(r["role-id"]) for r in responsible]
    roles = [{"id": role, "title": role.replace("-", " ").capitalize()} for role in role_ids]
    remarks = CONTENT_NOTE
    if left_out:
        remarks += (
            f" {left_out} mapping(s) of this set relate a group of a catalog, which an OSCAL map cannot name; they "
            "are listed in group-level-mappings.csv beside this file."
        )
    return document(
        "mapping-collection",
        {
            "metadata": metadata(
                title,
                when,
                links=[_canonical(mapping_set["set"])],
                roles=roles,
                parties=parties,
                remarks=remarks,
            ),
            "provenance": provenance,
            "mappings": [
                {
                    "uuid": uuid_for(mapping_set["set"], "mapping"),
                    "source-resource": _resource(s_key, mapping_set["subject_source"]),
                    "target-resource": _resource(o_key, mapping_set["object_source"]),
                    "maps": [_map(row, prefixes) for row in rows],
                }
            ],
        },
    )


def _resource(key: str, iri: str) -> dict:
    return {"type": "catalog", "href": f"{key}.catalog.json", "props": [_prop("standard", iri)]}


def _agents(rows: list[dict]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {"author": {}, "reviewer": {}}
    for row in rows:
        for role in found:
            if row[f"{role}_id"]:
                found[role].setdefault(row[f"{role}_id"], row[f"{role}_label"] or "")
    return found


def _confidence(row: dict) -> str:
    if row["derived"]:
        return "low"
    agreement = row["reviewer_agreement"]
    if agreement is None or agreement == "":
        return "unspecified"
    return "high" if float(agreement) > 0 else "medium"


def _map(row: dict, prefixes: dict[str, str]) -> dict:
    props = [_prop("justification", row["justification"])]
    if row["strength"] is not None:
        props.append(_prop("strength", row["strength"]))
    for name in ("author_id", "reviewer_id", "reviewer_agreement", "date"):
        if row[name] not in (None, ""):
            props.append(_prop(name.replace("_", "-"), row[name]))
    links = [_canonical(row["mapping"])]
    links += [{"href": row[step], "rel": "derived-from"} for step in ("first", "second") if row.get(step)]
    item = {
        "uuid": uuid_for(row["mapping"]),
        "matching-rationale": SEMANTIC,
        "relationship": RELATIONSHIP[row["relation"]],
        "sources": [{"type": "control", "id-ref": control_id(prefixes[row["subject_key"]], row["subject"])}],
        "targets": [{"type": "control", "id-ref": control_id(prefixes[row["object_key"]], row["object"])}],
        "confidence-score": {"category": _confidence(row)},
        "props": props,
        "links": links,
    }
    if row["comment"]:
        item["remarks"] = row["comment"]
    return item


# ---------------------------------------------------------------- baselines: system security plans and profiles


def ssp(cat: Catalog, entries: Iterable, title: str = "Statement of Applicability", when=None) -> dict:
    """A baseline's entries (`baseline.Entry`) as an OSCAL system security plan, one implemented requirement per
    held provision, its status as the by-component implementation-status of the system itself.

    Why long: one OSCAL document assembled in the order of its schema.
    """
    entries = list(entries)
    prefixes = {s.key: s.prefix for s in cat.standards()}
    system = uuid_for(ID, title, "this-system")
    information = uuid_for(ID, title, "information-type")
    requirements = []
    for entry in entries:
        status = {"state": STATE[entry.status]}
        if entry.status == NOT_IMPLEMENTED:
            status["remarks"] = NOT_IMPLEMENTED
        component = {
            "component-uuid": system,
            "uuid": uuid_for(entry.provision, title, "by-component"),
            "description": entry.justification or f"{entry.notation}: {entry.status}",
            "implementation-status": status,
        }
        requirements.append(
            {
                "uuid": uuid_for(entry.provision, title),
                "control-id": control_id(prefixes[entry.standard], entry.provision),
                "props": [_prop("label", entry.notation)],
                "links": [_canonical(entry.provision)],
                "by-components": [component],
                **({"remarks": entry.justification} if entry.justification else {}),
            }
        )
    return document(
        "system-security-plan",
        {
            "metadata": metadata(title, when, remarks=CONTENT_NOTE),
            "import-profile": {"href": PROFILE_FILE},
            "system-characteristics": {
                "system-ids": [{"identifier-type": UUID_TYPE, "id": system}],
                "system-name": title,
                "description": "The management system whose Statement of Applicability this plan records.",
                "system-information": {
                    "information-types": [
                        {
                            "uuid": information,
                            "title": "Information in scope of the management system",
                            "description": "As defined by the organisation's scope statement.",
                        }
                    ]
                },
                "status": {"state": "operational"},
                "authorization-boundary": {"description": "The scope of the management system."},
            },
            "system-implementation": {
                "components": [
                    {
                        "uuid": system,
                        "type": "this-system",
                        "title": title,
                        "description": "The organisation's management system as a whole.",
                        "status": {"state": "operational"},
                    }
                ]
            },
            "control-implementation": {
                "description": "One implemented requirement per provision of the Statement of Applicability.",
                "implemented-requirements": requirements,
            },
        },
    )


def profile(cat: Catalog, entries: Iterable, title: str = "Baseline", when=None) -> dict:
    """The held provisions (weight above 0) as an OSCAL profile: one import per standard, selecting them by id."""
    prefixes = {s.key: s.prefix for s in cat.standards()}
    by_standard: dict[str, list[str]] = {}
    for entry in entries:
        if entry.weight > 0:
            by_standard.setdefault(entry.standard, []).append(control_id(prefixes[entry.standard], entry.provision))
    imports = [
        {"href": f"{key}.catalog.json", "include-controls": [{"with-ids": with_ids}]}
        for key, with_ids in sorted(by_standard.items())
    ]
    if not imports:
        raise XwalkError("the baseline holds no provision with a weight above 0; a profile would select nothing")
    return document("profile", {"metadata": metadata(title, when, remarks=CONTENT_NOTE), "imports": imports})
