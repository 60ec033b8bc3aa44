"""A synthetic crosswalk of any size, written in the project's own file formats so that the real loader and the
real coverage run on it: a project-shaped folder with ontology/xwalk.ttl (the real schema), one Turtle catalog per
standard shaped like ontology/catalogs/*.ttl, and one SSSOM/TSV mapping set per pair of standards shaped like
mappings/*.sssom.tsv. Point `XWALK_ROOT` (or `xwalk --root`) at the folder and every command works on it.

Each standard has `groups` top-level provisions, half clauses (requirements) and half control objectives, each with
`per_group` children (sub-clauses or selectable controls). Standard i is mapped to standards i+1 and i+2: nine
leaves in ten of the subject get one or two records (no_relationship included), the tenth is left unreviewed, and
every group gets one record.
"""

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from xwalk.core.paths import CHECKS_DIR, SCHEMA_FILE, SHAPES_FILE

ID = "https://w3id.org/xwalk/id/"
RELATIONS = ["equal", "subset_of", "superset_of", "intersects_with", "no_relationship"]
WEIGHTS = [15, 15, 20, 35, 15]  # how often a curator lands on each relation


@dataclass(frozen=True)
class Shape:
    standards: int
    groups: int  # top-level provisions per standard
    per_group: int  # children of each

    @property
    def provisions(self) -> int:
        return self.groups * (1 + self.per_group)


# Presets named after the number of triples they load to (measured: `len(store)` of the loaded folder).
SIZES = {
    "tiny": Shape(3, 4, 3),
    "10k": Shape(5, 8, 5),
    "100k": Shape(10, 20, 9),
    "1M": Shape(24, 40, 19),
}
TARGET, BASELINE = "syn00", "syn01"  # coverage at scale: standard 0 from a certified standard 1


def key(index: int) -> str:
    return f"syn{index:02d}"


def standard_iri(index: int) -> str:
    return f"{ID}synthetic-{index:02d}"


def provisions(shape: Shape) -> list[tuple[str, str | None, str, str]]:
    """(notation, parent notation, class, normativity) of one standard's provisions, in catalog order."""
    found = []
    for g in range(1, shape.groups + 1):
        if g % 2:  # a clause with sub-clauses, all requirements
            top = str(g)
            found.append((top, None, "Clause", "Requirement"))
            found += [(f"{top}.{c}", top, "Clause", "Requirement") for c in range(1, shape.per_group + 1)]
        else:  # a control objective with selectable controls
            top = f"A.{g}"
            found.append((top, None, "ControlObjective", "Structural"))
            found += [(f"{top}.{c}", top, "Control", "SelectableControl") for c in range(1, shape.per_group + 1)]
    return found


def catalog_ttl(index: int, shape: Shape) -> str:
    scheme = standard_iri(index)
    lines = [
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xw: <https://w3id.org/xwalk/ontology#> .",
        "",
        f"<{scheme}> a xw:Standard, skos:ConceptScheme ;",
        f'    xw:key "{key(index)}" ; xw:family "iso" ; xw:curiePrefix "{key(index)}" ;',
        f'    skos:prefLabel "Synthetic standard {index:02d}"@en ; dcterms:identifier "SYN {index:02d}:2026" ;',
        f'    dcterms:title "Synthetic standard {index:02d}"@en ;',
        "    dcterms:license <https://creativecommons.org/licenses/by/4.0/> .",
        "",
    ]
    for order, (notation, parent, kind, normativity) in enumerate(provisions(shape), start=1):
        place = f"skos:broader <{scheme}/{parent}>" if parent else f"skos:topConceptOf <{scheme}>"
        lines += [
            f"<{scheme}/{notation}> a xw:{kind} ;",
            f'    dcterms:identifier "{notation}" ; dcterms:source "xwalk synthetic benchmark data" ;',
            f"    {place} ; skos:inScheme <{scheme}> ;",
            f'    skos:notation "{notation}" ; skos:prefLabel "Synthetic provision {notation}"@en ;',
            f"    xw:catalogOrder {order} ; xw:normativity xw:{normativity} ;",
            f"    xw:standard <{scheme}> ; xw:verification xw:Verified .",
            "",
        ]
    return "\n".join(lines)


def mapping_set_tsv(first: int, second: int, shape: Shape) -> str:
    a, b = key(first), key(second)
    header = [
        "curie_map:",
        "  xw: https://w3id.org/xwalk/ontology#",
        "  xwa: https://w3id.org/xwalk/id/agent/",
        "  semapv: https://w3id.org/semapv/vocab/",
        f"  {a}: {standard_iri(first)}/",
        f"  {b}: {standard_iri(second)}/",
        f"mapping_set_id: https://w3id.org/xwalk/mappings/{a}_{b}",
        'mapping_set_version: "1.0"',
        f'mapping_set_title: "{a} to {b} (synthetic)"',
        "license: https://creativecommons.org/licenses/by/4.0/",
        f"subject_source: {standard_iri(first)}",
        f"object_source: {standard_iri(second)}",
        "extension_definitions:",
        "  - slot_name: strength",
        "    property: xw:strength",
        "    type_hint: xsd:integer",
    ]
    columns = [
        "subject_id",
        "subject_label",
        "predicate_id",
        "object_id",
        "object_label",
        "mapping_justification",
        "author_id",
        "author_label",
        "mapping_date",
        "strength",
        "comment",
    ]
    rows = ["#" + line for line in header] + ["\t".join(columns)]
    rng = random.Random(f"{first}-{second}")
    items = provisions(shape)
    leaves = [n for n, parent, _, _ in items if parent]
    tops = [n for n, parent, _, _ in items if not parent]
    pairs = [(top, top, "intersects_with") for top in tops]
    for subject in leaves:
        if rng.random() < 0.1:
            continue  # not reviewed yet against this standard
        for obj in rng.sample(leaves, rng.choice((1, 2))):
            pairs.append((subject, obj, rng.choices(RELATIONS, WEIGHTS)[0]))
    for subject, obj, relation in pairs:
        strength = "" if relation == "no_relationship" else str(rng.randint(1, 10))
        rows.append(
            "\t".join(
                [
                    f"{a}:{subject}",
                    f"Synthetic provision {subject}",
                    f"xw:{relation}",
                    f"{b}:{obj}",
                    f"Synthetic provision {obj}",
                    "semapv:ManualMappingCuration",
                    "xwa:synthetic",
                    "xwalk synthetic benchmark data",
                    "2026-01-01",
                    strength,
                    f"Synthetic record: {a} {subject} read against {b} {obj}.",
                ]
            )
        )
    return "\n".join(rows) + "\n"


def write(root: Path, shape: Shape) -> Path:
    """Write the synthetic project into `root` (emptied first) and return it."""
    if root.exists():
        shutil.rmtree(root)
    (root / "ontology" / "catalogs").mkdir(parents=True)
    (root / "mappings").mkdir()
    shutil.copy(SCHEMA_FILE, root / "ontology" / "xwalk.ttl")
    shutil.copy(SHAPES_FILE, root / "ontology" / "shapes.ttl")  # so that `xwalk validate` runs on it too
    shutil.copytree(CHECKS_DIR, root / "ontology" / "checks")
    for index in range(shape.standards):
        (root / "ontology" / "catalogs" / f"{key(index)}.ttl").write_text(catalog_ttl(index, shape), "utf-8")
    for first in range(shape.standards):
        for second in (first + 1, first + 2):
            if second < shape.standards:
                path = root / "mappings" / f"{key(first)}_{key(second)}.sssom.tsv"
                path.write_text(mapping_set_tsv(first, second, shape), "utf-8")
    return root


def inventory(catalog, systems: int, seed: int = 17) -> dict:
    """A valid AI system inventory of `systems` systems, drawn from the roles, tiers and facts the catalog knows
    (services.inventory.terms): one to three roles each, every tier but `any`, and a random half of the facts
    given (the others unknown, so their obligations stay conditional). Organisation facts at the top."""
    from datetime import date, timedelta

    from xwalk.services.inventory import terms

    known = terms(catalog)
    pick = random.Random(seed)
    tiers = [t for t in known["tier"] if t != "any"]
    facts = {k: v for k, v in known["facts"].items() if k not in ("established_in_eu", "public_body")}
    found = []
    for number in range(1, systems + 1):
        system: dict = {
            "name": f"AI system {number:04d}",
            "roles": pick.sample(known["role"], pick.choice((1, 1, 2, 3))),
            "tier": tiers[number % len(tiers)],
        }
        for key, fact in facts.items():
            if pick.random() < 0.5:
                continue
            if fact["type"] == "boolean":
                system[key] = pick.random() < 0.5
            elif fact["type"] == "date":
                system[key] = (date(2024, 1, 1) + timedelta(days=pick.randrange(5 * 365))).isoformat()
            else:
                system[key] = pick.choice(fact["values"])
        found.append(system)
    return {
        "organisation": {"sme": False, "smc": True, "established_in_eu": True, "public_body": False},
        "systems": found,
    }


def write_inventory(path: Path, catalog, systems: int) -> Path:
    """The inventory as YAML (the format of examples/ai-inventory.yaml) or JSON, by the file's suffix."""
    data = inventory(catalog, systems)
    if path.suffix == ".json":
        import json

        path.write_text(json.dumps(data, indent=1), "utf-8")
    else:
        import yaml

        path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path
