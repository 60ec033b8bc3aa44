"""Loading: one named graph per source file, and loud failures that name the file and line."""

import pytest

from world import FILES, MAPPINGS, PROVISIONS
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import GRAPH
from xwalk.load import load, source_files, sssom


def test_one_named_graph_per_source_file(store):
    assert len(store.graphs()) == len(source_files())
    assert GRAPH + "ontology/xwalk.ttl" in store.graphs()
    assert GRAPH + "ontology/catalogs/iso42001_2023.ttl" in store.graphs()


def test_fixture_world_loads_its_provisions_and_mappings(world):
    rows = world.query("SELECT (COUNT(?p) AS ?n) WHERE { ?p xw:standard ?s }").rows
    assert rows == [[str(PROVISIONS)]]
    rows = world.query("SELECT (COUNT(?m) AS ?n) WHERE { ?m a xw:Mapping }").rows
    assert rows == [[str(MAPPINGS)]]


def test_mappings_materialise_the_nearest_skos_property(world):
    rows = world.query(
        "SELECT ?p WHERE { <https://w3id.org/xwalk/id/iso-iec-42001-2023/6.1.2> ?p "
        "<https://w3id.org/xwalk/id/iso-iec-27001-2022/6.1.2> }"
    ).rows
    assert sorted(p for (p,) in rows) == [
        "http://www.w3.org/2004/02/skos/core#narrowMatch",
        "https://w3id.org/xwalk/ontology#superset_of",
    ]


def test_no_relationship_gets_no_skos_property(world):
    rows = world.query(
        "SELECT ?p WHERE { <https://w3id.org/xwalk/id/iso-iec-42001-2023/6.1.4> ?p ?o . "
        'FILTER (STRENDS(STR(?p), "Match")) }'
    ).rows
    assert rows == []


def _tsv(tmp_path, text: str):
    path = tmp_path / "a_b.sssom.tsv"
    path.write_text(text, "utf-8")
    return path


HEADER = (
    "#curie_map:\n#  a: https://example.org/a/\n#mapping_set_id: https://example.org/set\n"
    "#license: https://creativecommons.org/licenses/by/4.0/\n#subject_source: https://example.org/a\n"
    "#object_source: https://example.org/b\n"
)
COLUMNS = "subject_id\tpredicate_id\tobject_id\tmapping_justification\tstrength\tcomment\n"


def test_undeclared_prefix_names_file_line_and_column(tmp_path):
    path = _tsv(tmp_path, HEADER + COLUMNS + "a:1\txw:equal\ta:2\tsemapv:ManualMappingCuration\t9\tSame.\n")
    with pytest.raises(XwalkError, match=r"a_b.sssom.tsv line 8: predicate_id 'xw:equal' is not a CURIE"):
        list(sssom.triples(sssom.read(path)))


def test_missing_column_is_named(tmp_path):
    path = _tsv(tmp_path, HEADER + "subject_id\tpredicate_id\tobject_id\n")
    with pytest.raises(XwalkError, match="lacks the columns mapping_justification, strength, comment"):
        sssom.read(path)


def test_missing_metadata_is_named(tmp_path):
    path = _tsv(tmp_path, "#curie_map:\n#  a: https://example.org/a/\n" + COLUMNS)
    with pytest.raises(XwalkError, match="lacks mapping_set_id, license, subject_source, object_source"):
        sssom.read(path)


def test_bad_yaml_header_names_the_line(tmp_path):
    path = _tsv(tmp_path, "#curie_map:\n#  a: [unclosed\n" + COLUMNS)
    with pytest.raises(XwalkError, match=r"a_b.sssom.tsv line \d+: the metadata header is not valid YAML"):
        sssom.read(path)


def test_short_row_names_the_line(tmp_path):
    path = _tsv(tmp_path, HEADER + COLUMNS + "a:1\ta:2\n")
    with pytest.raises(XwalkError, match="line 8: expected 6 tab-separated columns"):
        sssom.read(path)


def test_not_utf8_is_named(tmp_path):
    path = tmp_path / "a_b.sssom.tsv"
    path.write_bytes(HEADER.encode() + COLUMNS.encode() + "a:1\tcaf\u00e9\n".encode("latin-1"))
    with pytest.raises(XwalkError, match="not UTF-8"):
        sssom.read(path)


def test_loading_fixture_files_in_any_order_gives_the_same_dataset():
    assert len(load(files=FILES)) == len(load(files=list(reversed(FILES))))


def test_undeclared_reuse_column_names_the_file(tmp_path):
    columns = COLUMNS.replace("comment\n", "comment\treuse\n")
    path = _tsv(
        tmp_path, HEADER + columns + "a:1\tskos:relatedMatch\ta:2\tsemapv:ManualMappingCuration\t8\tSame.\textend\n"
    )
    with pytest.raises(
        XwalkError, match=r"a_b.sssom.tsv: the column\(s\) reuse must be declared under extension_definitions"
    ):
        sssom.read(path)


def test_reuse_loads_as_xw_reuse(store):
    rows = store.query(
        "SELECT ?reuse WHERE { ?m owl:annotatedSource <https://w3id.org/xwalk/id/iso-iec-42001-2023/9.2> ; "
        "owl:annotatedTarget <https://w3id.org/xwalk/id/iso-iec-27001-2022/9.2> ; xw:reuse ?reuse }"
    ).rows
    assert rows == [["extend"]]
