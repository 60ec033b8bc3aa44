"""The coverage engine: verdicts on the fixture world, the published properties on the real graph, the EU AI Act
target, and the example reports pinned as golden files (XWALK_UPDATE_GOLDEN=1 rewrites them)."""

import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import world as w
from xwalk.core.errors import XwalkError
from xwalk.services import baseline, coverage, overrides
from xwalk.services.baseline import WEIGHTS, Baseline, Entry
from xwalk.services.catalog import Catalog

EXAMPLES = Path(__file__).parents[1] / "examples"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def world_catalog(world):
    return Catalog(world)


def verdicts(report):
    return {v.iri: v for v in report.provisions}


def test_world_verdicts_from_a_27001_certificate(world_catalog):
    report = coverage.compute(world_catalog, baseline.build(world_catalog, certified=["iso27001"]), "iso42001")
    found = verdicts(report)
    assert set(found) == {w.AI_RISK_ASSESSMENT, w.AI_IMPACT_ASSESSMENT, w.AI_EVENT_LOGS}
    risk = found[w.AI_RISK_ASSESSMENT]
    assert (risk.verdict, risk.lower, risk.score, risk.upper) == ("partial", 0.0, 0.7, 1.0)
    assert [e.relation for e in risk.evidence] == ["superset_of"]
    impact = found[w.AI_IMPACT_ASSESSMENT]
    assert (impact.verdict, impact.score, impact.evidence) == ("new", 0.0, [])  # reviewed: no_relationship
    assert found[w.AI_EVENT_LOGS].score == 0.6
    assert report.summary.estimate == round((0.7 + 0 + 0.6) / 3, 4)


def test_a_mapping_stored_the_other_way_is_read_inverted(world_catalog):
    """42001 6.1.2 superset_of 27001 6.1.2 means 27001 6.1.2 is contained in 42001 6.1.2: done."""
    report = coverage.compute(world_catalog, baseline.build(world_catalog, certified=["iso42001"]), "iso27001")
    risk = verdicts(report)[w.IS_RISK_ASSESSMENT]
    assert (risk.verdict, risk.lower, risk.evidence[0].relation) == ("done", 1.0, "subset_of")
    assert verdicts(report)[w.MONITORING].verdict == "not reviewed"


def test_partial_implementation_halves_the_contribution(world_catalog):
    held = Baseline()
    held.add(Entry(w.LOGGING, "A.8.15", "iso27001", "partially implemented", "", "test"))
    report = coverage.compute(world_catalog, held, "iso42001")
    assert verdicts(report)[w.AI_EVENT_LOGS].score == 0.3
    assert verdicts(report)[w.AI_RISK_ASSESSMENT].verdict == "new"


def test_every_verdict_with_reuse_lists_its_evidence(catalog):
    """Element reuse implies a curated mapping (the named check element-reuse-without-mapping), so a provision that
    reuses anything shows the mappings behind it."""
    report = coverage.compute(catalog, baseline.build(catalog, certified=["iso27001"]), "iso42001")
    for v in report.provisions:
        if v.verdict in ("done", "extend", "partial"):
            assert v.evidence, v.id
        for e in v.evidence:
            assert e.mapping and e.rationale and e.relation != "no_relationship"


# ---------------------------------------------------------------- properties on the real graph

CONTROLS_27001 = [
    f"https://w3id.org/xwalk/id/iso-iec-27001-2022/A.{t}.{n}"
    for t, k in ((5, 37), (6, 8), (7, 14), (8, 34))
    for n in range(1, k + 1)
]
statuses = st.sampled_from(list(WEIGHTS))
baselines = st.dictionaries(st.sampled_from(CONTROLS_27001), statuses, max_size=40)


def _baseline(held: dict[str, str]) -> Baseline:
    result = Baseline(standards=["iso27001"])
    for iri, status in held.items():
        result.add(Entry(iri, iri.rsplit("/", 1)[1], "iso27001", status, "", "test"))
    return result


def _scores(report) -> list[tuple[float, ...]]:
    """certain, lower, estimate, upper of every provision and aggregate (both views), and the shares saved of every
    element."""
    aggregates = [report.summary, *report.parts, *report.groups]
    return (
        [(v.certain, v.lower, v.score, v.upper) for v in report.provisions]
        + [(a.certain, a.lower, a.estimate, a.upper) for a in aggregates]
        + [(0.0, a.by_count["lower"], a.by_count["estimate"], a.by_count["upper"]) for a in aggregates]
        + [(e.certain, e.saved_lower, e.saved, e.saved_upper) for e in report.elements]
    )


FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(held=baselines, extra=st.sampled_from(CONTROLS_27001), status=statuses)
def test_adding_a_provision_or_raising_a_status_never_lowers_a_score(catalog, held, extra, status):
    before = coverage.compute(catalog, _baseline(held), "iso42001")
    current = held.get(extra)
    if current is None or WEIGHTS[status] >= WEIGHTS[current]:
        after = coverage.compute(catalog, _baseline({**held, extra: status}), "iso42001")
        for old, new in zip(_scores(before), _scores(after), strict=True):
            assert all(n >= o for o, n in zip(old, new, strict=True))


@FAST
@given(held=baselines)
def test_bounds_are_always_ordered(catalog, held):
    for target in ("iso42001", "iso27701-2019"):
        for certain, lower, estimate, upper in _scores(coverage.compute(catalog, _baseline(held), target)):
            assert 0 <= certain <= lower <= estimate <= upper <= 1


@FAST
@given(held=baselines)
def test_derived_mappings_only_ever_add_evidence(catalog, held):
    curated = coverage.compute(catalog, _baseline(held), "iso27701-2025")
    derived = coverage.compute(catalog, _baseline(held), "iso27701-2025", with_derived=True)
    for old, new in zip(_scores(curated), _scores(derived), strict=True):
        assert all(n >= o for o, n in zip(old, new, strict=True))


def test_a_verdict_relying_on_a_derived_mapping_shows_its_chain(catalog):
    report = coverage.compute(
        catalog, baseline.build(catalog, certified=["iso27001"]), "iso27701-2025", with_derived=True
    )
    derived = [e for v in report.provisions for e in v.evidence if e.derived]
    assert derived
    for e in derived:
        assert len(e.chain) == 2 and all(step["rationale"] for step in e.chain)
        first, second = ({(s[f"{side}_key"], s[f"{side}_id"]) for side in ("subject", "object")} for s in e.chain)
        assert first & second  # the two steps meet at the intermediate provision


# ---------------------------------------------------------------- EU AI Act target


def _ai_act(catalog, **options):
    return coverage.compute(catalog, baseline.build(catalog, certified=["iso27001"]), "eu-ai-act", **options)


def test_ai_act_obligations_follow_the_chosen_timeline(catalog):
    amended = _ai_act(catalog, role="deployer", tier="high-risk", on=date(2026, 9, 1))
    published = _ai_act(catalog, role="deployer", tier="high-risk", on=date(2026, 9, 1), timeline="published-2024")
    assert amended.target["timeline"] == "omnibus-2026" and amended.target["default_timeline"]
    assert [v.id for v in amended.provisions] == ["Article 4"]  # Annex III duties deferred to 2 December 2027
    ids = [v.id for v in published.provisions]
    assert "Article 26(6)" in ids and "Article 27" not in ids  # conditional: listed apart, never scored
    assert "Article 27" in [c["id"] for c in published.target["conditional"]]
    later = _ai_act(catalog, role="deployer", tier="high-risk", on=date(2027, 12, 2))
    assert "Article 26(6)" in [v.id for v in later.provisions]
    assert all(v.obligation["applies_from"] <= "2027-12-02" for v in later.provisions)


def test_ai_act_obligations_differ_by_role(catalog):
    provider = {v.id for v in _ai_act(catalog, role="provider", tier="high-risk", on=date(2028, 1, 1)).provisions}
    deployer = {v.id for v in _ai_act(catalog, role="deployer", tier="high-risk", on=date(2028, 1, 1)).provisions}
    assert {"Article 9", "Article 17(1)", "Article 72"} <= provider
    assert not {"Article 9", "Article 17(1)"} & deployer and "Article 26(1)" in deployer


def test_a_mapping_on_a_paragraph_is_partial_evidence_for_its_article(catalog):
    held = baseline.build(catalog, certified=["iso42001"])
    report = coverage.compute(catalog, held, "eu-ai-act", role="provider", tier="high-risk", on=date(2028, 1, 1))
    article_14 = next(v for v in report.provisions if v.id == "Article 14")
    via_paragraph = [e for e in article_14.evidence if e.mapping.endswith("/6.1.3--art-14-2")]
    assert [(e.held_id, e.relation) for e in via_paragraph] == [("6.1.3", "intersects_with")]
    assert article_14.lower < 1.0  # a paragraph never proves the whole article


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"role": "ceo", "tier": "high-risk"}, "unknown role 'ceo'"),
        ({"role": "deployer", "tier": "huge"}, "unknown tier 'huge'"),
        ({"role": "deployer", "tier": "high-risk", "timeline": "2023"}, "unknown timeline '2023'"),
        ({}, "needs --role and --tier"),
    ],
)
def test_ai_act_options_are_checked(catalog, options, message):
    with pytest.raises(XwalkError, match=message):
        _ai_act(catalog, **options)


def test_role_and_tier_apply_to_the_ai_act_only(catalog):
    with pytest.raises(XwalkError, match="apply to the EU AI Act target only"):
        coverage.compute(catalog, baseline.build(catalog, certified=["iso27001"]), "iso42001", role="deployer")


def _full_soa(catalog) -> Baseline:
    return baseline.build(catalog, EXAMPLES / "soa-27001-full.csv")


@FAST
@given(data=st.data())
def test_a_subset_of_the_full_soa_never_scores_higher_on_any_provision_element_or_total(catalog, data):
    """Issue 14: a subset SoA (clauses and controls alike) never scores higher than a superset SoA."""
    full = _full_soa(catalog)
    entries = list(full.entries.values())
    kept = data.draw(st.lists(st.sampled_from(entries), unique_by=lambda e: e.provision, max_size=len(entries)))
    subset = Baseline(standards=list(full.standards))
    for entry in kept:
        subset.add(entry)
    judged = overrides.read(catalog, EXAMPLES / "overrides.csv")  # fixed by the organisation: monotone still
    for target, options in (("iso42001", {}), ("iso27701-2025", {}), ("iso42001", {"overrides": judged})):
        small = coverage.compute(catalog, subset, target, **options)
        large = coverage.compute(catalog, full, target, **options)
        assert [v.id for v in small.provisions] == [v.id for v in large.provisions]
        assert [e.id for e in small.elements] == [e.id for e in large.elements]
        for few, many in zip(_scores(small), _scores(large), strict=True):
            assert all(f <= m for f, m in zip(few, many, strict=True))
        for few, many in zip(small.elements, large.elements, strict=True):
            assert few.remaining >= many.remaining and few.remaining_upper >= many.remaining_upper


def test_derived_mappings_never_lower_a_42001_score_scored_on_elements(catalog):
    curated = coverage.compute(catalog, _full_soa(catalog), "iso42001")
    derived = coverage.compute(catalog, _full_soa(catalog), "iso42001", with_derived=True)
    for old, new in zip(_scores(curated), _scores(derived), strict=True):
        assert all(n >= o for o, n in zip(old, new, strict=True))


def test_element_results_add_up_to_the_provision_and_the_effort_totals(catalog):
    report = coverage.compute(catalog, _full_soa(catalog), "iso42001")
    by_provision = {v.id: v for v in report.provisions}
    for v in report.provisions:
        mine = [e for e in report.elements if e.provision_id == v.id]
        assert [e.id for e in mine] == v.elements and mine
        effort = sum(e.effort for e in mine)
        assert abs(v.score - sum(e.effort * e.saved for e in mine) / effort) < 1e-3, v.id
        assert all(e.remaining_lower <= e.remaining <= e.remaining_upper <= e.effort for e in mine)
    remaining = sum(e.remaining for e in report.elements)
    assert abs(report.effort["remaining_estimate"] - remaining) < 0.05
    assert by_provision["7.5.3"].certain == 0.8 and by_provision["7.5.3"].verdict == "extend"


# ---------------------------------------------------------------- golden reports of the examples

CASES = {
    "full-27001__iso42001": ("soa-27001-full.csv", "iso42001", {}),
    "partial-27001__iso42001": ("soa-27001-partial.csv", "iso42001", {}),
    "27001-27701__iso42001": ("soa-27001-27701.csv", "iso42001", {}),
    "full-27001__eu-ai-act-provider-high-risk": (
        "soa-27001-full.csv",
        "eu-ai-act",
        {"role": "provider", "tier": "high-risk", "on": date(2028, 1, 1)},
    ),
    "27001-27701__iso27701-2025": ("soa-27001-27701.csv", "iso27701-2025", {}),
}


def _pinned(report) -> dict:
    """The numbers a reader relies on: the summaries, each verdict and score, and which provisions are evidence."""
    data = report.to_dict()
    return {
        "target": data["target"],
        "summary": data["summary"],
        "parts": data["parts"],
        "groups": data["groups"],
        "effort": data["effort"],
        "provisions": [
            {
                "id": p["id"],
                "verdict": p["verdict"],
                "basis": p["basis"],
                "certain": p["certain"],
                "lower": p["lower"],
                "score": p["score"],
                "upper": p["upper"],
                "evidence": [
                    f"{e['held_standard']} {e['held_id']} {e['relation']} {e['strength']}" for e in p["evidence"]
                ],
            }
            for p in data["provisions"]
        ],
    }


@pytest.mark.parametrize("case", sorted(CASES))
def test_example_report_matches_its_golden_file(catalog, case):
    soa_file, target, options = CASES[case]
    report = coverage.compute(catalog, baseline.build(catalog, EXAMPLES / soa_file), target, **options)
    pinned = _pinned(report)
    path = GOLDEN / f"{case}.json"
    if os.environ.get("XWALK_UPDATE_GOLDEN"):
        path.write_text(json.dumps(pinned, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert pinned == json.loads(path.read_text("utf-8")), f"{case}: run with XWALK_UPDATE_GOLDEN=1 if intended"


def test_the_full_27001_example_yields_the_documented_42001_figures(catalog):
    report = coverage.compute(catalog, baseline.build(catalog, EXAMPLES / "soa-27001-full.csv"), "iso42001")
    s = report.summary
    assert (round(s.lower, 2), round(s.estimate, 2), round(s.upper, 2)) == (0.27, 0.37, 0.46)
    assert s.weighting == "effort" and s.effort == 272.5
    assert s.verdicts == {"done": 0, "extend": 62, "partial": 5, "new": 3, "not reviewed": 0}


def test_the_full_27001_band_is_narrow_and_the_harmonized_clauses_are_not_certainly_done(catalog):
    """Issue 14: the band of the full 27001 SoA against 42001 is at most 20 points of effort, and an ISMS policy,
    ISMS, documents and risk assessments are reused and extended, never certainly done."""
    report = coverage.compute(catalog, baseline.build(catalog, EXAMPLES / "soa-27001-full.csv"), "iso42001")
    data = report.to_dict()
    assert data["schema"].endswith("/coverage/2")
    assert data["summary"]["upper"] - data["summary"]["lower"] <= 0.20
    by_id = {p["id"]: p for p in data["provisions"]}
    for provision in ("5.2", "4.4", "7.5.1", "8.2"):
        assert by_id[provision]["lower"] < 1 and by_id[provision]["verdict"] == "extend", provision
    assert all(p["basis"] == "elements" for p in data["provisions"])
