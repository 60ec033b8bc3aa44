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
implemented. Both are turned into the rows of a Statement of Applicability, so one set of rules (`baseline.py`)
applies to every format.

Nothing here imports an OSCAL library: compliance-trestle validates the output in the tests only.

Why long: one format written and read back, with the identifier and UUID rules both directions share; reading
baselines (entries, read_baseline) is the part to move to a module of its own next.
"""

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from xwalk import __version__
from xwalk.core.errors import XwalkError
from xwalk.core.paths import display
from xwalk.core.vocab import ID, SEMAPV, XW
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


def read_mapping_collection(
    cat: Catalog, data: dict, name: str, subject: str | None = None, obj: str | None = None
) -> tuple[dict, list[dict]]:
    """The maps of an OSCAL mapping-collection as mapping records (dicts with the SSSOM columns, ids as IRIs) and
    the set's metadata; every map whose ids do not resolve is reported, and then nothing is returned. `subject`
    and `obj` name the standards of the sources and targets when the ids do not say it themselves."""
    body = data["mapping-collection"]
    meta = body.get("metadata", {})
    provenance = body.get("provenance", {})
    mappings = body.get("mappings") or []
    mappings = [mappings] if isinstance(mappings, dict) else mappings
    default_justification = (
        SEMAPV + "ManualMappingCuration" if provenance.get("method") != "automation" else SEMAPV + "UnspecifiedMatching"
    )
    records, errors, standards = [], [], set()
    for m, mapping in enumerate(mappings, start=1):
        s_std = subject or _resource_standard(cat, mapping.get("source-resource", {}))
        o_std = obj or _resource_standard(cat, mapping.get("target-resource", {}))
        for n, item in enumerate(mapping.get("maps") or [], start=1):
            where = f"mapping {m} map {n}"
            relation = FROM_RELATIONSHIP.get(item.get("relationship", ""))
            if relation is None:
                known = ", ".join(RELATIONSHIP.values())
                errors.append(f"{where}: relationship {item.get('relationship')!r} is not one of {known}")
                continue
            props = {p["name"]: p["value"] for p in item.get("props", []) if p.get("ns", NS) == NS}
            for source in item.get("sources") or []:
                for target in item.get("targets") or []:
                    s = _resolve(cat, source.get("id-ref", ""), s_std, where, "source", errors)
                    o = _resolve(cat, target.get("id-ref", ""), o_std, where, "target", errors)
                    if s is None or o is None:
                        continue
                    standards.add((s.key, o.key))
                    records.append(
                        {
                            "subject": s,
                            "object": o,
                            "relation": relation,
                            "strength": props.get("strength", ""),
                            "justification": props.get("justification", default_justification),
                            "comment": item.get("remarks", "").strip(),
                            "author_id": props.get("author-id", ""),
                            "reviewer_id": props.get("reviewer-id", ""),
                            "reviewer_agreement": props.get("reviewer-agreement", ""),
                            "mapping_date": props.get("date", ""),
                            "origin": where,
                        }
                    )
    _raise(name, errors)
    if len(standards) > 1:
        pairs = ", ".join(f"{a} to {b}" for a, b in sorted(standards))
        raise XwalkError(f"{name}: the maps relate more than one pair of standards ({pairs}); import one pair per set")
    info = {
        "title": meta.get("title", ""),
        "description": provenance.get("mapping-description", ""),
        "license": next((link["href"] for link in provenance.get("links", []) if link.get("rel") == "license"), ""),
        "agents": {p.get("links", [{}])[0].get("href", ""): p.get("name", "") for p in meta.get("parties", [])},
    }
    return info, records


def _resource_standard(cat: Catalog, resource: dict) -> str | None:
    """The standard a mapping's source or target resource is: its `standard` property, or a catalog file named
    after a standard key (`iso27001.catalog.json`)."""
    for prop in resource.get("props", []):
        if prop.get("name") == "standard":
            return next((s.key for s in cat.standards() if s.iri == prop.get("value")), None)
    stem = Path(resource.get("href", "")).name.split(".")[0]
    return next((s.key for s in cat.standards() if s.key == stem), None)


def _resolve(cat: Catalog, raw: str, standard: str | None, where: str, side: str, errors: list, annex_a=False):
    """The provision an OSCAL id means: an id of ours (`iso27001_A.5.15`) names its provision exactly; any other
    goes through the id normaliser in `standard` (Annex A first when `annex_a`)."""
    standards = {s.prefix: s for s in cat.standards()}
    prefix, sep, local = raw.partition("_")
    if sep and prefix in standards:
        try:
            return cat.provision(f"{standards[prefix].iri}/{local}")
        except XwalkError:
            errors.append(f"{where}: {cat.lookup_error(local, standards[prefix].key)}")
            return None
    if standard is None:
        hint = "give --standard" if side == "control" else "give --focal/--reference"
        errors.append(f"{where}: the {side} id {raw!r} does not say its standard; {hint}")
        return None
    found = cat.resolve(raw, standard, annex_a)
    if found is None:
        errors.append(f"{where}: {cat.lookup_error(raw, standard)}")
    return found


def _raise(name: str, errors: list[str]) -> None:
    if errors:
        shown = "\n  ".join(errors[:25])
        more = f"\n  ... and {len(errors) - 25} more" if len(errors) > 25 else ""
        raise XwalkError(f"{name}: {len(errors)} problem(s); nothing was read:\n  {shown}{more}")


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


OSCAL_NS = "http://csrc.nist.gov/ns/oscal"
DEPRECATED_ID_TYPES = {"https://ietf.org/rfc/rfc4122", "https://fedramp.gov"}
RELATIONSHIPS = {"equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with", "no-relationship"}


def violations(documents: dict[str, dict]) -> list[str]:
    """The Metaschema constraints of OSCAL that its JSON schema cannot express and that xwalk's exports must keep,
    checked on a set of documents by file name (as one export writes them): a statement part in every control that
    is not withdrawn; only `control-origination` and `marking` as OSCAL-namespace props of an implemented
    requirement; links (import-profile, imports, mapping resources) that resolve to a document of the set; map
    items that name controls of their catalog, not groups; no deprecated identifier type; a UUID for every
    information type; known mapping relationships; no two documents with the same UUID.

    Why long: a list of independent constraint checks, each a few lines, over one index of the documents.
    """
    found = []
    controls: dict[str, set[str]] = {}  # catalog file -> its control ids
    for name, doc in documents.items():
        if "catalog" in doc:
            controls[name] = set()
            stack = [("control", c) for c in doc["catalog"].get("controls", [])]
            stack += [("group", g) for g in doc["catalog"].get("groups", [])]
            while stack:
                kind, node = stack.pop()
                stack += [("control", c) for c in node.get("controls", [])]
                stack += [("group", g) for g in node.get("groups", [])]
                if kind == "group":
                    continue
                controls[name].add(node["id"])
                withdrawn = any(p["name"] == "status" and p["value"] == "withdrawn" for p in node.get("props", []))
                if not withdrawn and not any(part["name"] == "statement" for part in node.get("parts", [])):
                    found.append(f"{name}: control {node['id']} has no statement part")
    seen: dict[str, str] = {}
    for name, doc in documents.items():
        root, body = next(iter(doc.items()))
        if body["uuid"] in seen:
            found.append(f"{name}: document UUID {body['uuid']} is also that of {seen[body['uuid']]}")
        seen[body["uuid"]] = name
        if root == "system-security-plan":
            href = body["import-profile"]["href"]
            if "profile" not in documents.get(href, {}):
                found.append(f"{name}: import-profile {href!r} is not a profile of the export")
            characteristics = body["system-characteristics"]
            for system_id in characteristics["system-ids"]:
                if system_id.get("identifier-type") in DEPRECATED_ID_TYPES:
                    found.append(f"{name}: deprecated identifier-type {system_id['identifier-type']!r}")
            for info in characteristics["system-information"]["information-types"]:
                if "uuid" not in info:
                    found.append(f"{name}: information type {info['title']!r} has no uuid")
            for item in body["control-implementation"]["implemented-requirements"]:
                for prop in item.get("props", []):
                    if prop.get("ns", OSCAL_NS) == OSCAL_NS and prop["name"] not in SSP_PROPS:
                        found.append(f"{name}: {item['control-id']} has prop {prop['name']!r} in OSCAL's namespace")
        elif root == "profile":
            for item in body["imports"]:
                if item["href"] not in controls:
                    found.append(f"{name}: import {item['href']!r} is not a catalog of the export")
                for selection in item.get("include-controls", []):
                    for missing in set(selection.get("with-ids", [])) - controls.get(item["href"], set()):
                        found.append(f"{name}: selects {missing!r}, not a control of {item['href']}")
        elif root == "mapping-collection":
            for mapping in body["mappings"]:
                sides = {"sources": mapping["source-resource"]["href"], "targets": mapping["target-resource"]["href"]}
                for href in sides.values():
                    if href not in controls:
                        found.append(f"{name}: resource {href!r} is not a catalog of the export")
                for item in mapping["maps"]:
                    if item["relationship"] not in RELATIONSHIPS:
                        found.append(f"{name}: map {item['uuid']} has relationship {item['relationship']!r}")
                    for side, href in sides.items():
                        for ref in item[side]:
                            if ref["type"] == "control" and ref["id-ref"] not in controls.get(href, set()):
                                found.append(
                                    f"{name}: map {item['uuid']} names {ref['id-ref']!r}, not a control of {href}"
                                )
    return found


def read(path: Path, name: str | None = None) -> dict:
    """An OSCAL document in JSON (or YAML) as a dict with its one root key; a clear error otherwise."""
    name = name or display(path)
    if path.is_file() and path.stat().st_size > MAX_BYTES:
        raise XwalkError(f"{name}: larger than {MAX_BYTES // 1024 // 1024} MB; is this an OSCAL document?")
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise XwalkError(f"{name}: not UTF-8 text") from None
    except OSError as error:
        raise XwalkError(f"{name}: cannot be read ({error.strerror})") from None
    from xwalk.core import bounded

    data = bounded.load_yaml(text, name) if path.suffix.lower() in {".yaml", ".yml"} else bounded.load_json(text, name)
    if not isinstance(data, dict) or len(data) != 1:
        raise XwalkError(f"{name}: an OSCAL document has exactly one root key (catalog, profile, ...)")
    return data


def is_oscal_baseline(data) -> bool:
    return isinstance(data, dict) and len(data) == 1 and next(iter(data)) in ("profile", "system-security-plan")


def is_baseline_file(path: Path) -> bool:
    """Whether a file given as a baseline is an OSCAL profile or SSP (JSON or YAML) rather than an SoA table."""
    if path.suffix.lower() not in {".json", ".yaml", ".yml"} or not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(4096).decode("utf-8-sig", errors="replace")
    return bool(re.match(r'\s*(\{\s*)?"?(profile|system-security-plan)"?\s*:', head))


def entries(cat: Catalog, data: dict, name: str, standard: str | None = None) -> list:
    """An OSCAL profile or system security plan as baseline entries (`baseline.Entry`), in document order. A
    profile's selected controls are implemented; an SSP's requirements carry their implementation-status. Every id
    that does not resolve is reported, and then nothing is returned. `standard` is the standard of ids that do
    not say theirs, when the document's import does not name a catalog of the graph either."""
    from xwalk.services.held import Entry

    root = next(iter(data))
    body = data[root]
    items = []  # (where, raw id, standard or None, status, justification)
    if root == "profile":
        for number, item in enumerate(body.get("imports") or [], start=1):
            imported = _resource_standard(cat, {"href": item.get("href", "")}) or standard
            if "include-all" in item:
                raise XwalkError(
                    f"{name} import {number}: include-all selects a whole catalog; select the held controls with "
                    "include-controls (with-ids), or use --certified for a certificate"
                )
            for selection in item.get("include-controls") or []:
                for raw in selection.get("with-ids") or []:
                    items.append((f"import {number} id {raw!r}", raw, imported, "implemented", ""))
    else:
        href = (body.get("import-profile") or {}).get("href", "")
        standard = _resource_standard(cat, {"href": href}) or standard
        requirements = (body.get("control-implementation") or {}).get("implemented-requirements") or []
        for number, item in enumerate(requirements, start=1):
            raw = item.get("control-id", "")
            items.append((f"implemented requirement {number}", raw, standard, _status(item), item.get("remarks", "")))
    found: list[Entry] = []
    errors: list[str] = []
    seen: set[str] = set()
    for where, raw, standard, status, justification in items:
        provision = _resolve(cat, raw, standard, where, "control", errors, annex_a=True)
        if provision is None or provision.iri in seen:
            continue
        seen.add(provision.iri)
        origin = f"{name} {where}"
        found.append(Entry(provision.iri, provision.notation, provision.key, status, justification.strip(), origin))
    _raise(name, errors)
    return found


def _status(item: dict) -> str:
    """A requirement's status: its own `implementation-status` property, else its components' states (all the same:
    that state; any implemented or partial among others: partially implemented; else planned)."""
    own = next((p["value"] for p in item.get("props", []) if p.get("name") == "implementation-status"), None)
    states = [own] if own else []
    remarks = []
    for component in item.get("by-components") or []:
        status = component.get("implementation-status") or {}
        if status.get("state"):
            states.append(status["state"])
            remarks.append((status.get("remarks") or "").strip().lower())
    applicable = [s for s in states if s != "not-applicable"] or states
    if not applicable:
        return "implemented"  # listed without a status: taken as in place, as an SoA row without status is
    if len(set(applicable)) == 1:
        state = applicable[0]
        if state == "planned" and remarks and all(r == NOT_IMPLEMENTED for r in remarks):
            return NOT_IMPLEMENTED
        return FROM_STATE.get(state, "planned")
    if any(s in ("implemented", "alternative", "partial") for s in applicable):
        return "partially implemented"
    return "planned"


def read_baseline(
    cat: Catalog,
    path: Path | None,
    certified: Iterable[str] = (),
    assume_certified: bool = True,
    name: str | None = None,
    standard: str | None = None,
    data: dict | None = None,
):
    """A baseline from an OSCAL profile or SSP, by the rules of a Statement of Applicability (docs/coverage.md): the
    document implies the certificate of its standards unless `assume_certified` is false; a certificate implies its
    clauses implemented, and its controls too when the document lists none of that standard's."""
    from xwalk.services.held import Baseline, certify

    name = name or (display(path) if path else "the OSCAL document")
    if data is None:
        if path is None:
            raise ValueError("read_baseline needs the document's path or its data")
        data = read(path, name)
    if not is_oscal_baseline(data):
        raise XwalkError(f"{name}: expected an OSCAL profile or system-security-plan, found {next(iter(data))!r}")
    listed = entries(cat, data, name, standard)
    if not listed:
        raise XwalkError(f"{name}: the document selects no control")
    held = Baseline()
    in_document = list(dict.fromkeys(e.standard for e in listed))
    keys = list(dict.fromkeys([cat.standard(k).key for k in certified] + (in_document if assume_certified else [])))
    for key in keys:
        certify(cat, held, key, with_controls=key not in in_document, listing="the plan")
    for entry in listed:
        held.add(entry)
    held.description.append(f"OSCAL {next(iter(data))} {name}: {len(listed)} controls")
    return held
