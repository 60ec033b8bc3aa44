"""Validation: SHACL shapes over the data, the named violation checks, and OWL consistency with HermiT.

Each finding is a sentence that names the file (and row, for a mapping) it concerns. rdflib, pySHACL and owlready2
are imported here only, and only when validation runs: they are never on a hot path.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from xwalk.core import paths
from xwalk.store import Store

NON_OWL_DATATYPES = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in ("date", "gYearMonth", "gYear")}


@dataclass(frozen=True)
class Finding:
    check: str  # "shacl", a check file name, or "reasoner"
    message: str


def shacl_violations(data) -> list[tuple[str, str]]:
    """(focus node, message) for every violation of ontology/shapes.ttl in an rdflib graph."""
    import pyshacl
    from rdflib import Graph, Namespace

    shapes = Graph().parse(paths.SHAPES_FILE)
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    if conforms:
        return []
    sh = Namespace("http://www.w3.org/ns/shacl#")
    found = []
    for result in report.subjects(sh.resultSeverity, sh.Violation):
        message = str(report.value(result, sh.resultMessage))
        value = report.value(result, sh.value)
        detail = f" (value: {value})" if value is not None and str(value) not in message else ""
        found.append((str(report.value(result, sh.focusNode)), message + detail))
    return found


def shacl(store: Store) -> list[Finding]:
    from rdflib import Graph

    data = Graph().parse(data=store.serialize("nt"), format="nt")
    where = _locations(store)
    return sorted(
        (
            Finding("shacl", f"{where.get(focus, focus)}: {message} [{focus}]")
            for focus, message in shacl_violations(data)
        ),
        key=lambda f: f.message,
    )


def _locations(store: Store) -> dict[str, str]:
    """For each resource, 'file' or 'file row N' as a user should read it."""
    found: dict[str, str] = {}
    for row in store.select("locations"):
        place = f"{row['file']} row {row['row']}" if row["row"] is not None else row["file"]
        found.setdefault(row["node"], place)
    return found


def checks(store: Store, directory: Path = paths.CHECKS_DIR) -> list[Finding]:
    """Run every named check: each row a check returns is a failure, and its ?message says what is wrong."""
    findings = []
    for check in sorted(directory.glob("*.rq")):
        for row in store.select_text(check.read_text("utf-8")):
            findings.append(Finding(check.stem, row["message"]))
    return findings


def reasoner(files: list[Path] | None = None) -> list[Finding]:
    """Prove the ontology, its DPV/AIRO alignments, the catalogs and the requirement elements consistent and every
    class satisfiable with HermiT (needs Java)."""
    import owlready2
    from rdflib import Graph, Literal

    graph = Graph()
    generated = [*sorted(paths.CATALOG_DIR.glob("*.ttl")), *sorted(paths.ELEMENTS_DIR.glob("*.ttl"))]
    default = [paths.SCHEMA_FILE, paths.ALIGNMENTS_FILE, *generated]
    for path in files if files is not None else default:
        graph.parse(path)
    # HermiT refuses literals outside the OWL 2 datatype map (dates); they carry no class axioms, so drop them.
    for triple in [t for t in graph if isinstance(t[2], Literal) and str(t[2].datatype) in NON_OWL_DATATYPES]:
        graph.remove(triple)
    world = owlready2.World()
    with tempfile.NamedTemporaryFile(suffix=".nt") as handle:
        graph.serialize(handle.name, format="nt", encoding="utf-8")
        ontology = world.get_ontology(f"file://{handle.name}").load()
    try:
        with ontology:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return [
            Finding(
                "reasoner",
                "the ontology and catalogs are inconsistent (HermiT found a contradiction, "
                "for example a provision typed with two disjoint kinds)",
            )
        ]
    except FileNotFoundError as error:
        return [Finding("reasoner", f"cannot run HermiT: {error}; install Java (apt-get install default-jre-headless)")]
    return [
        Finding("reasoner", f"the class {c.iri} is unsatisfiable (it can have no members)")
        for c in world.inconsistent_classes()
    ]


def sources(root: Path = paths.ROOT) -> list[Finding]:
    """Checks of the catalog source tables that the generated graph cannot name by row: a row that is its own
    parent (the graph shows only a loop)."""
    import csv

    findings = []
    for path in sorted((root / "ontology" / "catalogs" / "src").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                own = (row.get("id") or "").strip()
                if own and own == (row.get("parent_id") or "").strip():
                    where = f"{path.relative_to(root)} line {reader.line_num}"
                    findings.append(Finding("catalog-source", f"{where}: {own} is its own parent"))
    return findings


def planning() -> list[Finding]:
    """The named check `plan-dependencies` over the planning tables (load.plan_rules): references, cycles, phases."""
    from xwalk.core.errors import XwalkError
    from xwalk.load import elements, plan_rules

    try:
        found = elements.read_elements()
        data = plan_rules.plan_data(found)
        messages = plan_rules.problems(found, data.dependencies, data.phases)
    except XwalkError as error:
        messages = [str(error)]
    return [Finding(plan_rules.CHECK, message) for message in messages]


def validate(store: Store, with_reasoner: bool = True) -> list[Finding]:
    findings = shacl(store) + checks(store) + sources() + planning()
    if with_reasoner:
        findings += reasoner()
    return findings
