"""The Metaschema constraints of OSCAL that its JSON schema cannot express, checked on the documents of one export
(the tests run it on every export, beside the JSON schemas and compliance-trestle)."""

from xwalk.services.exchange.oscal import SSP_PROPS

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
