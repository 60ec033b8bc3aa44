"""Linked-data citizenship: ELI links of the AI Act provisions, the DPV/AIRO alignments, the VoID/DCAT description
(validated against the DCAT-AP 3.0.1 shapes, counts equal to the store's), citable releases with a changelog, and the
service that serves and links it all."""

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import httpx
import pytest
import rdflib
from click.testing import CliRunner
from pyshacl import validate as shacl_validate

from servers import xwalk_service
from world import FILES, WORLD
from xwalk.cli import main
from xwalk.core import paths
from xwalk.core.errors import XwalkError
from xwalk.load import catalogs, load
from xwalk.services.exchange import description

AI_ACT = "https://w3id.org/xwalk/id/eu-ai-act-2024-1689/"
ELI = "http://data.europa.eu/eli/reg/2024/1689/"
DCAT_AP = Path(__file__).parent / "schemas" / "dcat-ap-3.0.1"
VOID = rdflib.Namespace(description.VOID)
DCAT = rdflib.Namespace(description.DCAT)
SKOS_MATCHES = {
    f"http://www.w3.org/2004/02/skos/core#{m}Match" for m in ("exact", "close", "broad", "narrow", "related")
}
PUBLISHED_NAMESPACES = (
    "https://w3id.org/dpv#",
    "https://w3id.org/dpv/ai#",
    "https://w3id.org/dpv/legal/eu/aiact#",
    "https://w3id.org/airo#",
)


# ---------------------------------------------------------------- ELI


def test_every_article_paragraph_and_annex_has_its_eli(store):
    rows = store.query(
        "SELECT ?p ?kind ?notation ?eli WHERE { ?p xw:standard/xw:key 'eu-ai-act' ; a ?kind ; skos:notation ?notation "
        "FILTER (?kind IN (xw:Article, xw:Paragraph, xw:Annex)) OPTIONAL { ?p xw:eli ?eli } }"
    ).rows
    assert len(rows) > 100
    for _, _kind, notation, eli in rows:
        assert eli is not None, notation
        match = re.fullmatch(r"Article (\d+)(?:\((\d+)\))?(?:\(([a-z]+)\))?|Annex ([IVX]+)", str(notation))
        assert match, notation
        expected = (
            f"{ELI}anx_{match[4]}"
            if match[4]
            else f"{ELI}art_{match[1]}"
            + (f"/par_{match[2]}" if match[2] else "")
            + (f"/pnt_{match[3]}" if match[3] else "")
        )
        assert str(eli) == expected
    standard = store.query("SELECT ?e WHERE { ?s xw:key 'eu-ai-act' ; xw:eli ?e }").rows
    assert [str(r[0]) for r in standard] == ["http://data.europa.eu/eli/reg/2024/1689/oj"]


def test_amended_provisions_name_the_amending_regulation(store):
    rows = store.query(
        "SELECT ?n WHERE { ?p xw:amendedBy <http://data.europa.eu/eli/reg/2026/1744/oj> ; skos:notation ?n }"
    )
    amended = {str(r[0]) for r in rows.rows}
    with (paths.CATALOG_SOURCE_DIR / "eu_ai_act_amendments.csv").open(encoding="utf-8") as handle:
        assert amended == {row["provision_id"] for row in csv.DictReader(handle)} >= {"Article 113", "Annex I"}


def test_the_eli_is_derived_from_the_id_and_a_bad_id_is_refused(tmp_path, monkeypatch):
    assert catalogs.eli("eu-ai-act", "Article 5(1)(a)") == rdflib.URIRef(ELI + "art_5/par_1/pnt_a")
    assert catalogs.eli("eu-ai-act", "Chapter III") is None and catalogs.eli("iso27001", "A.5.1") is None
    source = tmp_path / "src"
    shutil.copytree(paths.CATALOG_SOURCE_DIR, source)
    table = source / "eu_ai_act_2024_1689.csv"
    table.write_text(table.read_text("utf-8") + "Art. 200,A malformed id,,article,test\n", "utf-8")
    monkeypatch.setattr(paths, "CATALOG_SOURCE_DIR", source)
    with pytest.raises(XwalkError, match=r"line \d+: no ELI can be derived from the id 'Art. 200'"):
        catalogs.generate()


# ---------------------------------------------------------------- DPV and AIRO alignments


def test_every_alignment_has_a_rationale_and_a_published_target(store):
    graph = rdflib.Graph().parse(paths.ALIGNMENTS_FILE)
    alignments = [(s, p, o) for s, p, o in graph if str(p) in SKOS_MATCHES]
    assert len(alignments) >= 30
    for s, p, o in alignments:
        assert str(o).startswith(PUBLISHED_NAMESPACES), o
        axiom = next(graph.subjects(rdflib.OWL.annotatedTarget, o), None)
        rationale = [
            c
            for a in graph.subjects(rdflib.OWL.annotatedSource, s)
            if (a, rdflib.OWL.annotatedProperty, p) in graph and (a, rdflib.OWL.annotatedTarget, o) in graph
            for c in graph.objects(a, rdflib.RDFS.comment)
        ]
        assert axiom is not None and len(rationale) == 1, (s, p, o)
        assert store.query(f"SELECT ?kind WHERE {{ <{s}> a ?kind }}").rows, s  # the xwalk term exists
    roles = {str(s).rsplit("/", 1)[1] for s, p, o in alignments if "/role/" in str(s)}
    tiers = {str(s).rsplit("/", 1)[1] for s, p, o in alignments if "/tier/" in str(s)}
    assert roles >= {"provider", "deployer", "importer", "distributor", "authorised-representative"}
    assert tiers >= {"prohibited", "high-risk", "transparency", "minimal", "gpai"}
    assert paths.ALIGNMENTS_FILE.name in " ".join(store.graphs())  # a named graph of its own


# ---------------------------------------------------------------- VoID and DCAT


@pytest.fixture(scope="module")
def void_graph(store):
    return description.graph(store)


def test_the_description_counts_every_graph_as_the_store_does(store, void_graph):
    dataset = rdflib.URIRef(description.DATASET)
    assert void_graph.value(dataset, VOID.triples).toPython() == len(store)
    subsets = list(void_graph.objects(dataset, VOID.subset))
    assert {str(s) for s in subsets} == set(store.graphs())
    for graph in subsets:
        expected = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows[0][0]
        assert void_graph.value(graph, VOID.triples).toPython() == int(str(expected))
    linksets = set(void_graph.subjects(rdflib.RDF.type, VOID.Linkset))
    assert {str(s) for s in linksets} == {r["set"] for r in store.select("export_mapping_sets")}
    assert void_graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(description.BASE + "sparql")


def test_the_description_conforms_to_the_dcat_ap_shapes(void_graph):
    shapes = rdflib.Graph().parse(DCAT_AP / "shapes.ttl").parse(DCAT_AP / "range.ttl")
    conforms, _, report = shacl_validate(void_graph, shacl_graph=shapes)
    assert conforms, report
    broken = rdflib.Graph() + void_graph  # a dataset without a title and a download without an access URL
    broken.remove((rdflib.URIRef(description.DATASET), rdflib.DCTERMS.title, None))
    broken.remove((None, DCAT.accessURL, None))
    conforms, _, report = shacl_validate(broken, shacl_graph=shapes)
    assert not conforms and "title" in report and "accessURL" in report


def test_the_version_follows_the_data():
    world = load(files=FILES)
    assert world.digest() == load(files=FILES).digest()
    smaller = load(files=FILES[:2])
    assert world.digest() != smaller.digest()
    assert description.version_iri(world.digest()) != description.version_iri(smaller.digest())


# ---------------------------------------------------------------- releases


def _changed_world(folder: Path) -> list[Path]:
    """The fixture world with its mapping set changed in exactly three rows: one removed, one retyped, one added."""
    lines = (WORLD / "iso42001-2023_iso27001-2022.sssom.tsv").read_text("utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    columns = lines[header].split("\t")
    rows = [dict(zip(columns, line.split("\t"), strict=True)) for line in lines[header + 1 :]]
    removed = rows.pop(0)
    retyped = rows[0]
    retyped["predicate_id"] = "xw:intersects_with" if retyped["predicate_id"] != "xw:intersects_with" else "xw:equal"
    added = {**rows[1], "object_id": "iso27001:A.8.16", "object_label": "Monitoring activities"}
    rows.append(added)
    path = folder / "iso42001-2023_iso27001-2022.sssom.tsv"
    text = "\n".join(lines[: header + 1] + ["\t".join(r[c] for c in columns) for r in rows]) + "\n"
    path.write_text(text, "utf-8")
    return [FILES[0], FILES[1], path], (removed, retyped, added)


def test_two_releases_give_a_changelog_of_exactly_the_differing_rows(tmp_path):
    from xwalk.services.exchange.release import release

    first, second = tmp_path / "r1", tmp_path / "r2"
    first.mkdir(), second.mkdir()
    release(load(files=FILES), first)
    files, (removed, retyped, added) = _changed_world(tmp_path)
    written = release(load(files=files), second, since=first)
    info = json.loads((second / "release.json").read_text("utf-8"))
    assert info["changes"] == {"added": 1, "retyped": 1, "changed": 0, "removed": 1}
    with (second / "CHANGELOG.csv").open(encoding="utf-8") as handle:
        changes = {
            (r["change"], r["subject"].rsplit("/", 1)[1], r["object"].rsplit("/", 1)[1]) for r in csv.DictReader(handle)
        }

    def local(curie: str) -> str:
        return curie.split(":", 1)[1]

    assert changes == {
        ("removed", local(removed["subject_id"]), local(removed["object_id"])),
        ("retyped", local(retyped["subject_id"]), local(retyped["object_id"])),
        ("added", local(added["subject_id"]), "A.8.16"),
    }
    sums = dict(reversed(line.split("  ")) for line in (second / "SHA256SUMS").read_text("utf-8").splitlines())
    for path in written:
        if path.name in sums:
            assert hashlib.sha256(path.read_bytes()).hexdigest() == sums[path.name]
    assert info["version"] != json.loads((first / "release.json").read_text("utf-8"))["version"]
    assert (second / f"xwalk-{info['version']}.nq").is_file()
    void = rdflib.Graph().parse(second / "void.ttl")
    assert (rdflib.URIRef(info["version_iri"]), DCAT.isVersionOf, rdflib.URIRef(description.DATASET)) in void


def test_release_refuses_a_folder_that_is_not_a_release(tmp_path):
    (tmp_path / "out").mkdir()
    result = CliRunner().invoke(main, ["release", "--output", str(tmp_path / "out"), "--since", str(tmp_path)])
    assert result.exit_code != 0 and "no release.json" in result.output
    assert list((tmp_path / "out").iterdir()) == []  # nothing half-written


def test_citation_file_names_the_dataset():
    import yaml

    citation = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text("utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["title"].startswith("xwalk")
    assert any(i["value"] == description.DATASET for i in citation["identifiers"])


# ---------------------------------------------------------------- the service


@pytest.fixture(scope="module")
def server():
    with xwalk_service() as base:
        yield base


def test_the_service_serves_and_links_its_description(server, store):
    void = httpx.get(f"{server}/.well-known/void", timeout=120)  # the first request computes the content digest
    assert void.status_code == 200 and void.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=void.text, format="turtle")
    dataset = rdflib.URIRef(description.DATASET)
    assert graph.value(dataset, VOID.triples).toPython() == len(store)
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(f"{server}/sparql")
    sd = rdflib.Graph().parse(data=httpx.get(f"{server}/sparql", timeout=60).text, format="turtle")
    assert (None, rdflib.RDFS.seeAlso, rdflib.URIRef(f"{server}/.well-known/void")) in sd
    dump = rdflib.Dataset().parse(data=httpx.get(f"{server}/dataset.nq", timeout=120).text, format="nquads")
    assert len(dump.graph(rdflib.URIRef(description.DESCRIPTION_GRAPH))) == len(graph)


def test_a_provision_page_shows_its_eli_and_a_role_page_its_alignments(server):
    article = httpx.get(f"{server}/id/eu-ai-act-2024-1689/art-26-5", headers={"Accept": "text/html"}).text
    assert f'href="{ELI}art_26/par_5"' in article and "ELI (official text)" in article
    role = httpx.get(f"{server}/id/eu-ai-act-2024-1689/role/deployer", headers={"Accept": "text/html"}).text
    assert 'href="https://w3id.org/dpv/legal/eu/aiact#AIDeployer"' in role and "Art. 3(4)" in role


def test_the_readme_query_joins_provisions_to_their_eli_and_roles_to_dpv(store):
    readme = (paths.ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Linked data", 1)[1]
    query = section.split("```sparql\n", 1)[1].split("```", 1)[0]
    example = (paths.EXAMPLE_QUERIES_DIR / "07-eli-and-dpv-links.rq").read_text("utf-8")
    rows = store.query(query).rows
    assert len(rows) > 10 and len(store.query(example).rows) > 10
    found = {(str(r[0]), str(r[1]), str(r[3]).rsplit("#", 1)[1]) for r in rows}
    assert ("Article 26(5)", ELI + "art_26/par_5", "AIDeployer") in found
