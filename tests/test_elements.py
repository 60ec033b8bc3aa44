"""Requirement elements and element-level reuse: the shipped tables, their graph, and the generator's refusals."""

import shutil
from decimal import Decimal

import pytest

from xwalk.core import ids, paths
from xwalk.core.errors import XwalkError
from xwalk.core.vocab import graph_iri
from xwalk.load import elements
from xwalk.load.catalogs import read_table
from xwalk.services import validate

ELEMENTS_CSV = paths.ELEMENTS_SOURCE_DIR / elements.ELEMENTS_FILE
REUSE_CSV = paths.ELEMENTS_SOURCE_DIR / elements.REUSE_FILE


@pytest.fixture(scope="module")
def shipped():
    found = elements.read_elements()
    return found, elements.read_reuse(found)


def _findings(store, check):
    return [f.message for f in validate.checks(store) if f.check == check]


def test_every_scored_42001_provision_has_elements(shipped):
    catalog = [row for _, row in read_table(paths.CATALOG_SOURCE_DIR / "iso42001_2023.csv")]
    scored = elements.scored_provisions(catalog)
    assert len(scored) == 70  # 32 leaf requirement clauses and 38 Annex A controls
    covered = {e.provision for e in shipped[0]}
    assert [p for p in scored if p not in covered] == []


def test_the_named_check_agrees_that_no_scored_provision_lacks_elements(store):
    assert _findings(store, "scored-provision-without-elements") == []


def test_every_reuse_row_agrees_with_the_curated_crosswalk(store):
    assert _findings(store, "element-reuse-without-mapping") == []


def test_element_dependencies_have_no_cycle(store):
    assert _findings(store, "element-dependency-cycle") == []


def test_the_graph_holds_every_row_of_both_tables_in_its_own_named_graph(store, shipped):
    found, reuse = shipped
    rows = store.select("requirement_elements", key="iso42001")
    assert sorted(r["id"] for r in rows) == sorted(e.id for e in found)
    by_id = {e.id: e for e in found}
    for row in rows:
        element = by_id[row["id"]]
        assert (row["effort"], row["deliverable"], row["phase"]) == (element.effort, element.deliverable, element.phase)
        assert sorted((row["depends_on"] or "").split()) == sorted(element.depends_on)
    judged = store.select("element_reuse", key="iso42001")
    assert sorted((r["element_id"], f"{r['held_key']}:{r['held_id']}") for r in judged) == sorted(
        (r.element, r.held) for r in reuse
    )
    graph = graph_iri("ontology/elements/" + elements.GENERATED_FILE)
    assert graph in store.graphs()


def test_harmonized_reuse_across_subjects_is_never_done_for_the_headline_provisions(shipped):
    """An ISMS is not an AIMS, a security policy not an AI policy, the AI documents of 7.5.1 do not exist yet, and
    AI risk assessments (8.2) need the AI method of 6.1.2 first: reuse there is to extend, never done."""
    found, reuse = shipped
    provision = {e.id: e.provision for e in found}
    headline = {"4.4", "5.2", "7.5.1", "8.2", "6.1.2", "6.1.4", "8.4", "A.2.2", "A.5.2"}
    done = [r for r in reuse if r.mode == "done" and provision[r.element] in headline]
    assert done == []
    for wanted in headline:
        assert any(provision[r.element] == wanted for r in reuse if r.mode == "extend"), wanted


def test_done_reuse_is_kept_for_subject_neutral_document_control(shipped):
    found, reuse = shipped
    provision = {e.id: e.provision for e in found}
    assert {provision[r.element] for r in reuse if r.mode == "done"} == {"7.5.2", "7.5.3"}


def test_every_extend_row_leaves_work_within_its_tolerance(shipped):
    for row in shipped[1]:
        if row.mode == "extend":
            assert 0 <= row.low <= row.remaining <= row.high <= 1 and 0 < row.remaining < 1, row
            assert row.extension and row.rationale, row


def test_dependencies_named_in_the_issue_are_recorded(shipped):
    depends = {e.id: set(e.depends_on) for e in shipped[0]}
    assert "6.1.4/e1" in depends["A.5.2/e1"]  # the impact assessment process before the A.5 controls
    assert {"6.1.2/e1", "6.1.2/e2"} <= depends["8.2/e1"]  # the risk method before risk assessments
    assert "5.2/e1" in depends["A.2.2/e1"]  # the AI policy before the AI policy control


def test_shares_for_a_full_27001_baseline_add_up_and_bracket_the_estimate(shipped):
    s = elements.shares(*shipped, {"iso27001"})
    assert s.done + s.extend + s.new == s.total == sum(e.effort for e in shipped[0])
    assert 0 < s.done < s.extend
    assert s.done <= s.saved_low <= s.saved <= s.saved_high <= s.done + s.extend
    with_privacy = elements.shares(*shipped, {"iso27001", "iso27701-2019"})
    assert with_privacy.saved >= s.saved and with_privacy.new <= s.new  # more held, never less saved


def test_shares_of_an_empty_baseline_are_all_new(shipped):
    s = elements.shares(*shipped, set())
    assert (s.done, s.extend, s.saved_high, s.new) == (0, 0, 0, s.total)


# ---------------------------------------------------------------- the generator refuses bad rows, naming them


def _edit(tmp_path, source, old, new):
    target = tmp_path / source.name
    shutil.copy(source, target)
    text = target.read_text("utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), "utf-8")
    line = next(n for n, row in enumerate(target.read_text("utf-8").splitlines(), 1) if new and new in row)
    return target, line


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("5.2/e1,5.2,", "5.2/x1,5.2,", "element_id '5.2/x1' must be the provision's IRI name, '/e' and a number"),
        ("6.1.4/e1,6.1.4,", "6.1/e9,6.1,", "'6.1' is not a scored provision of iso42001"),
        (",policy,4,plan,", ",memo,4,plan,", "deliverable 'memo' is not one of policy, document"),
        (",policy,4,plan,", ",policy,0,plan,", "effort '0' is not a number of person-days above 0"),
        (",policy,4,plan,", ",policy,NaN,plan,", "effort 'NaN' is not a number of person-days above 0"),
        (",policy,4,plan,", ",policy,4,later,", "phase 'later' is not one of plan, do, check, act"),
        ("4.1/e1;5.1/e1", "4.1/e1;5.1/e99", "depends_on '5.1/e99' is not another element of the table"),
    ],
)
def test_a_bad_element_row_is_refused_with_file_and_line(tmp_path, old, new, expected):
    path, line = _edit(tmp_path, ELEMENTS_CSV, old, new)
    with pytest.raises(XwalkError, match=rf"line {line}: .*") as error:
        elements.read_elements(path)
    assert expected in str(error.value)
    assert path.name in str(error.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("7.5.2/e1,iso27001:7.5.2,done,0,0,0", "7.5.2/e1,iso27001:7.5.2,done,0.5,0,0.6", "a done row has remaining"),
        ("4.1/e1,iso27001:4.1,extend,0.5,0.4,0.6", "4.1/e1,iso27001:4.1,extend,0.5,0.55,0.6", "low <= remaining"),
        ("4.1/e1,iso27001:4.1,extend,0.5,0.4,0.6", "4.1/e1,iso27001:4.1,extend,1,1,1", "strictly between 0 and 1"),
        ("4.1/e1,iso27001:4.1,extend", "4.1/e1,iso27001:Z.9,extend", "held_provision 'iso27001:Z.9' is not a"),
        ("4.1/e1,iso27001:4.1,extend,0.5,0.4,0.6", "4.1/e1,iso27001:4.1,extend,0.5,x,0.6", "low 'x' is not a number"),
        ("4.1/e1,iso27001:4.1,extend", "4.1/e7,iso27001:4.1,extend", "element_id '4.1/e7' is not an element"),
        ("4.1/e1,iso27001:4.1,extend", "4.1/e1,iso27001:4.1,reuse", "mode 'reuse' is not one of done, extend"),
    ],
)
def test_a_bad_reuse_row_is_refused_with_file_and_line(tmp_path, shipped, old, new, expected):
    path, line = _edit(tmp_path, REUSE_CSV, old, new)
    with pytest.raises(XwalkError, match=rf"line {line}: .*") as error:
        elements.read_reuse(shipped[0], path)
    assert expected in str(error.value)


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "elements.csv"
    path.write_text("element_id,provision,statement\n4.1/e1,4.1,x\n", "utf-8")
    with pytest.raises(XwalkError, match="missing column.*deliverable"):
        elements.read_elements(path)


def test_effort_is_a_decimal_weight(shipped):
    assert all(isinstance(e.effort, Decimal) and e.effort > 0 for e in shipped[0])


# ---------------------------------------------------------------- EU AI Act: elements of a provider's high-risk duties


def test_ai_act_elements_cover_articles_9_to_15_and_17_of_a_high_risk_provider():
    found = elements.read_elements(target="eu-ai-act")
    provider_high_risk = {
        row["provision_id"]
        for _, row in read_table(paths.CATALOG_SOURCE_DIR / "eu_ai_act_obligations.csv")
        if (row["role"], row["tier"]) == ("provider", "high-risk")
    }
    wanted = {f"Article {n}" for n in (9, 10, 11, 12, 13, 14, 15)} | {"Article 17(1)"}  # Art. 17 binds through 17(1)
    assert wanted <= provider_high_risk
    assert {e.provision for e in found} == wanted
    for element in found:
        assert element.id.startswith(ids.local_name(element.provision) + "/e"), element.id
        assert "Regulation (EU) 2024/1689 Art." in element.provenance and "EUR-Lex" in element.provenance


def test_ai_act_elements_load_into_their_own_graph(store):
    rows = store.select("requirement_elements", key="eu-ai-act")
    assert {r["provision_id"] for r in rows} == {f"Article {n}" for n in (9, 10, 11, 12, 13, 14, 15)} | {
        "Article 17(1)"
    }
    assert all(r["element"].startswith("https://w3id.org/xwalk/id/eu-ai-act-2024-1689/art-") for r in rows)
    assert graph_iri("ontology/elements/eu_ai_act_elements.ttl") in store.graphs()


def test_an_ai_act_element_on_a_provision_without_obligation_is_refused(tmp_path):
    source = paths.ELEMENTS_SOURCE_DIR / "eu_ai_act_elements.csv"
    path, line = _edit(tmp_path, source, "art-9/e1,Article 9,", "art-3/e1,Article 3,")
    with pytest.raises(XwalkError, match=rf"line {line}: 'Article 3' is not a scored provision of eu-ai-act"):
        elements.read_elements(path, target="eu-ai-act")
