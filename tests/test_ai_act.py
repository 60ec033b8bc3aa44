"""The EU AI Act per AI system: the amended timeline, conditions (met, not met, unknown), the transitional rules, the
inventory validator and the fine ceilings, through the real catalog and the real command line."""

import json
from datetime import date

import pytest

from test_cli import assert_clean_error, xwalk
from xwalk.core import conditions
from xwalk.core.errors import XwalkError
from xwalk.services import ai_act


def run(catalog, systems, on, timeline=None, organisation=None):
    inventory = ai_act.validate(catalog, {**(organisation or {}), "systems": systems}, "test inventory")
    return ai_act.evaluate(catalog, inventory, on, timeline)


def found(result, system=0, status=None):
    """id -> obligation (first role) of one system, optionally of one status only."""
    rows = result["systems"][system]["obligations"]
    return {o["id"]: o for o in reversed(rows) if status is None or o["status"] == status}


PRIVATE_HR = {
    "name": "CV screening",
    "roles": ["deployer"],
    "tier": "high-risk",
    "annex_iii_area": "employment",
    "public_service": False,
}


# ---------------------------------------------------------------- what the issue says it must show


def test_private_deployer_of_an_employment_system_on_both_timelines(catalog):
    org = {"public_body": False}
    amended = run(catalog, [PRIVATE_HR], date(2028, 1, 1), organisation=org)
    published = run(catalog, [PRIVATE_HR], date(2028, 1, 1), "published-2024", organisation=org)
    assert amended["timeline"]["key"] == "omnibus-2026" and amended["timeline"]["default"]
    assert (
        "2026/1744" in amended["timeline"]["legal_source"] and "CELEX 32026R1744" in amended["timeline"]["legal_source"]
    )
    assert found(amended)["Article 26(1)"]["applies_from"] == "2027-12-02"
    assert found(published)["Article 26(1)"]["applies_from"] == "2026-08-02"
    for result in (amended, published):
        assert "Article 27" not in found(result)
        ruled_out = {o["id"] for o in result["systems"][0]["not_applicable"]}
        assert {"Article 27", "Article 26(8)", "Article 49(3)"} <= ruled_out


@pytest.mark.parametrize(
    ("facts", "status"), [({"public_body": True}, "applies"), ({"public_service": True}, "applies"), ({}, "if")]
)
def test_fundamental_rights_assessment_for_public_bodies_and_services(catalog, facts, status):
    system = {**PRIVATE_HR, "public_service": None, **facts}
    result = run(catalog, [system], date(2028, 1, 1))
    assert found(result)["Article 27"]["status"] == status
    if status == "if":
        assert found(result)["Article 27"]["applies"] is None
        assert "public_body" in found(result)["Article 27"]["unknown_facts"]


def test_creditworthiness_deployer_owes_the_assessment_even_when_private(catalog):
    system = {**PRIVATE_HR, "annex_iii_area": "creditworthiness"}
    result = run(catalog, [system], date(2028, 1, 1), organisation={"public_body": False})
    assert found(result)["Article 27"]["status"] == "applies"


@pytest.mark.parametrize(("day", "status"), [(date(2026, 8, 1), "next"), (date(2026, 8, 2), "applies")])
def test_chatbot_provider_informs_people_from_2_august_2026(catalog, day, status):
    chatbot = {"name": "bot", "roles": ["provider"], "tier": "transparency", "interacts_with_people": True}
    result = run(catalog, [chatbot], day)
    assert found(result)["Article 50(1)"]["status"] == status
    assert found(result)["Article 50(1)"]["applies_from"] == "2026-08-02"
    assert found(result)["Article 50(1)"]["applies"] is (status == "applies")


@pytest.mark.parametrize(("day", "status"), [(date(2026, 12, 1), "next"), (date(2026, 12, 2), "applies")])
def test_new_prohibitions_bind_providers_of_generative_systems_from_2_december_2026(catalog, day, status):
    generator = {"name": "images", "roles": ["provider"], "tier": "minimal", "generates_content": True}
    result = run(catalog, [generator], day)
    for point in ("Article 5(1)(ba)", "Article 5(1)(bb)"):
        assert found(result)[point]["status"] == status
        assert "2026/1744" in found(result)[point]["date_source"]
        assert found(result)[point]["penalty"]["article"] == "Art. 99(3)"
    published = run(catalog, [generator], day, "published-2024")
    assert "Article 5(1)(ba)" not in found(published)


def test_new_prohibitions_do_not_bind_a_system_that_generates_nothing(catalog):
    scorer = {"name": "scores", "roles": ["provider"], "tier": "minimal", "generates_content": False}
    result = run(catalog, [scorer], date(2027, 1, 1))
    assert "Article 5(1)(ba)" not in found(result)
    assert "Article 5(1)(ba)" in {o["id"] for o in result["systems"][0]["not_applicable"]}


def test_every_date_names_its_legal_source(catalog):
    systems = [
        PRIVATE_HR,
        {"name": "gpai", "roles": ["gpai-provider"], "tier": "gpai-systemic-risk"},
        {"name": "bot", "roles": ["provider", "deployer"], "tier": "transparency"},
    ]
    for timeline in ("omnibus-2026", "published-2024"):
        result = run(catalog, systems, date(2027, 1, 1), timeline)
        assert result["timeline"]["legal_source"]
        for system in result["systems"]:
            for o in system["obligations"] + system["not_applicable"]:
                assert o["date_source"].strip(), o["id"]


def test_a_role_with_nothing_due_gets_its_next_date(catalog):
    result = run(catalog, [PRIVATE_HR], date(2026, 12, 2))
    summary = result["systems"][0]["roles_summary"]["deployer"]
    assert summary["applies"] == 1  # Art. 4 only
    assert summary["next_date"] == "2027-12-02" and summary["next_count"] >= 8


def test_product_manufacturer_gets_the_provider_duties_of_art_25_3(catalog):
    system = {"name": "lift", "roles": ["product-manufacturer"], "tier": "high-risk-product"}
    ids = set(found(run(catalog, [system], date(2029, 1, 1))))
    assert {"Article 9", "Article 17(1)", "Article 43", "Article 72", "Article 25(3)", "Article 16"} <= ids


def test_annex_iii_derogation_documents_and_registers(catalog):
    system = {"name": "triage", "roles": ["provider"], "tier": "annex-iii-derogation"}
    ids = set(found(run(catalog, [system], date(2028, 1, 1))))
    assert {"Article 6(4)", "Article 49(2)"} <= ids and "Article 9" not in ids


# ---------------------------------------------------------------- conditions


@pytest.mark.parametrize(
    ("text", "facts", "expected"),
    [
        ("public_body", {"public_body": True}, True),
        ("public_body", {"public_body": False}, False),
        ("public_body", {}, None),
        ("not established_in_eu", {"established_in_eu": False}, True),
        ("annex_iii_area != critical-infrastructure", {"annex_iii_area": "critical-infrastructure"}, False),
        ("public_body or annex_iii_area = insurance", {"public_body": False, "annex_iii_area": "insurance"}, True),
        ("public_body or annex_iii_area = insurance", {"annex_iii_area": "employment"}, None),
        ("public_body and annex_iii_area = insurance", {"annex_iii_area": "employment"}, False),
        ("", {}, True),
    ],
)
def test_conditions_in_three_valued_logic(text, facts, expected):
    assert conditions.evaluate(conditions.parse(text), facts) is expected


@pytest.mark.parametrize(
    ("system", "article", "status"),
    [
        ({"roles": ["provider"], "tier": "high-risk", "established_in_eu": False}, "Article 22(1)", "applies"),
        ({"roles": ["provider"], "tier": "high-risk", "established_in_eu": True}, "Article 22(1)", None),
        ({"roles": ["provider"], "tier": "high-risk"}, "Article 22(1)", "if"),
        ({"roles": ["deployer"], "tier": "high-risk", "modifies_or_rebrands": True}, "Article 25(1)", "applies"),
        ({"roles": ["deployer"], "tier": "high-risk", "modifies_or_rebrands": False}, "Article 25(1)", None),
        ({"roles": ["deployer"], "tier": "high-risk", "law_enforcement": True}, "Article 26(10)", "applies"),
        ({"roles": ["deployer"], "tier": "high-risk", "law_enforcement": False}, "Article 26(10)", None),
        ({"roles": ["provider"], "tier": "high-risk", "real_world_testing": True}, "Article 60", "applies"),
        ({"roles": ["provider"], "tier": "high-risk", "real_world_testing": False}, "Article 61", None),
        ({"roles": ["provider"], "tier": "high-risk"}, "Article 61", "if"),
        (
            {"roles": ["gpai-provider"], "tier": "gpai", "established_in_eu": False, "open_source": True},
            "Article 54(1)",
            None,
        ),
        (
            {"roles": ["gpai-provider"], "tier": "gpai-systemic-risk", "established_in_eu": False, "open_source": True},
            "Article 54(1)",
            "applies",
        ),
    ],
)
def test_each_condition_met_not_met_and_unknown(catalog, system, article, status):
    result = run(catalog, [{"name": "s", **system}], date(2029, 1, 1))
    if status is None:
        assert article not in found(result)
        assert article in {o["id"] for o in result["systems"][0]["not_applicable"]}
    else:
        assert found(result)[article]["status"] == status


def test_conditional_obligations_are_kept_apart_from_the_score(catalog):
    from xwalk.services import baseline, coverage

    result = run(catalog, [{"name": "s", "roles": ["provider"], "tier": "high-risk"}], date(2029, 1, 1))
    scored = ai_act.scored_obligations(result)
    report = coverage.compute(
        catalog,
        baseline.build(catalog, certified=["iso27001"]),
        "eu-ai-act",
        on=date(2029, 1, 1),
        inventory_obligations=scored,
    )
    ids = {v.id for v in report.provisions}
    assert "Article 9" in ids and "Article 60" not in ids and "Article 22(1)" not in ids
    ai_act.attach_coverage(result, report)
    assert found(result)["Article 9"]["verdict"] in ("done", "extend", "partial", "new", "not reviewed")
    assert "verdict" not in found(result)["Article 60"]


# ---------------------------------------------------------------- transitional rules (Art. 111)


@pytest.mark.parametrize(("placed", "start"), [("2026-08-01", "2026-12-02"), ("2026-08-02", "2026-08-02")])
def test_marking_grace_for_generative_systems_already_on_the_market(catalog, placed, start):
    system = {
        "name": "gen",
        "roles": ["provider"],
        "tier": "transparency",
        "generates_content": True,
        "placed_on_market": placed,
    }
    assert found(run(catalog, [system], date(2026, 9, 1)))["Article 50(2)"]["applies_from"] == start
    published = run(catalog, [system], date(2026, 9, 1), "published-2024")
    assert found(published)["Article 50(2)"]["applies_from"] == "2026-08-02"


def test_legacy_high_risk_systems_on_the_published_timeline(catalog):
    legacy = {"name": "old", "roles": ["provider"], "tier": "high-risk", "placed_on_market": "2025-06-01"}
    unknown = found(run(catalog, [legacy], date(2027, 1, 1), "published-2024"))["Article 9"]
    assert unknown["status"] == "if" and "significantly_changed" in unknown["conditions"]
    unchanged = run(
        catalog,
        [{**legacy, "significantly_changed": False}],
        date(2027, 1, 1),
        "published-2024",
        organisation={"public_body": False},
    )
    assert "Article 9" not in found(unchanged)
    public = run(
        catalog,
        [{**legacy, "significantly_changed": False}],
        date(2027, 1, 1),
        "published-2024",
        organisation={"public_body": True},
    )
    assert found(public)["Article 9"]["applies_from"] == "2030-08-02"
    assert "Art. 111(2)" in found(public)["Article 9"]["date_source"]


def test_gpai_models_already_on_the_market_comply_by_august_2027(catalog):
    model = {"name": "m", "roles": ["gpai-provider"], "tier": "gpai", "placed_on_market": "2025-03-01"}
    assert found(run(catalog, [model], date(2026, 1, 1)))["Article 53"]["applies_from"] == "2027-08-02"
    newer = {**model, "placed_on_market": "2025-08-02"}
    assert found(run(catalog, [newer], date(2026, 1, 1)))["Article 53"]["applies_from"] == "2025-08-02"


# ---------------------------------------------------------------- penalty ceilings (Art. 99, 101)


def _penalty(catalog, article, organisation, timeline=None, on=date(2026, 12, 2), system=None):
    system = system or {
        "name": "gen",
        "roles": ["provider"],
        "tier": "transparency",
        "generates_content": True,
        "interacts_with_people": True,
    }
    return found(run(catalog, [system], on, timeline, organisation))[article]["penalty"]


def test_penalty_tiers_and_the_sme_and_smc_rules(catalog):
    prohibited = _penalty(catalog, "Article 5(1)(ba)", {})
    assert (prohibited["max_eur"], prohibited["max_percent"], prohibited["rule"]) == (
        35_000_000,
        7,
        "whichever is higher",
    )
    assert "not a prediction" in prohibited["disclaimer"]
    transparency = _penalty(catalog, "Article 50(1)", {})
    assert (transparency["max_eur"], transparency["max_percent"], transparency["article"]) == (
        15_000_000,
        3,
        "Art. 99(4)",
    )
    assert _penalty(catalog, "Article 5(1)(ba)", {"sme": True})["rule"] == "whichever is lower"
    assert _penalty(catalog, "Article 50(1)", {"smc": True})["rule"] == "whichever is lower"
    assert _penalty(catalog, "Article 5(1)(ba)", {"smc": True})["rule"] == "whichever is higher"
    assert _penalty(catalog, "Article 50(1)", {"smc": True}, "published-2024")["rule"] == "whichever is higher"


def test_penalty_ceiling_in_euro_from_the_turnover(catalog):
    big = _penalty(catalog, "Article 50(1)", {"annual_turnover_eur": 1_000_000_000})
    assert big["ceiling_eur"] == 30_000_000  # 3% of 1 bn is higher than 15 m
    sme = _penalty(catalog, "Article 50(1)", {"annual_turnover_eur": 10_000_000, "sme": True})
    assert sme["ceiling_eur"] == 300_000  # the lower of 15 m and 3% of 10 m


def test_gpai_fines_of_art_101_apply_from_august_2026_and_literacy_has_no_eu_ceiling(catalog):
    model = {"name": "m", "roles": ["gpai-provider", "provider"], "tier": "gpai"}
    early = _penalty(catalog, "Article 53", {}, on=date(2026, 8, 1), system=model)
    assert early["article"] == "Art. 101(1)" or early["article"].startswith("Art. 101")
    assert early["in_force"] is False
    assert _penalty(catalog, "Article 53", {}, on=date(2026, 8, 2), system=model)["in_force"] is True
    assert _penalty(catalog, "Article 4", {}, system=model) is None


# ---------------------------------------------------------------- the inventory validator


def test_bad_entries_are_named_with_their_field(catalog, tmp_path):
    path = tmp_path / "inventory.yaml"
    path.write_text(
        "organisation:\n  sme: maybe\nsystems:\n"
        "  - name: A\n    roles: [deployer, ceo]\n    tier: high-risk\n"
        "  - name: A\n    roles: [provider]\n    tier: hi-risk\n"
        "  - roles: [provider]\n    tier: minimal\n    public_body: perhaps\n    colour: blue\n"
        "  - name: D\n    roles: [deployer]\n    tier: high-risk\n    annex_iii_area: space\n"
        "    placed_on_market: soon\n",
        "utf-8",
    )
    with pytest.raises(XwalkError) as error:
        ai_act.read_inventory(catalog, path)
    message = str(error.value)
    for expected in (
        "organisation field sme: 'maybe' is not true or false",
        "entry 1 (A) field roles: 'ceo' is not a role",
        "entry 2 (A) field name: repeats entry 1",
        "entry 2 (A) field tier: 'hi-risk' is not a tier",
        "entry 3 field name: missing",
        "entry 3 field public_body: 'perhaps' is not true or false",
        "entry 3 field colour: unknown",
        "entry 4 (D) field annex_iii_area: 'space' is not one of",
        "entry 4 (D) field placed_on_market: 'soon' is not a date",
    ):
        assert expected in message, message


def test_inventory_as_a_csv_table_with_flags(catalog, tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_text(
        "Name,Roles,Tier,Public service\nCV screening,deployer,high-risk,no\nBot,provider;deployer,transparency,\n",
        "utf-8",
    )
    inventory = ai_act.read_inventory(catalog, path, organisation={"sme": True})
    assert [s.name for s in inventory.systems] == ["CV screening", "Bot"]
    assert inventory.systems[1].roles == ["provider", "deployer"]
    assert inventory.systems[0].facts == {"public_service": False}
    assert inventory.organisation == {"sme": True}


def test_an_inventory_without_systems_is_refused(catalog, tmp_path):
    path = tmp_path / "inventory.yaml"
    path.write_text("organisation:\n  sme: true\n", "utf-8")
    with pytest.raises(XwalkError, match="expected a list of AI systems"):
        ai_act.read_inventory(catalog, path)


# ---------------------------------------------------------------- the command line


def test_obligations_command_json(tmp_path):
    result = xwalk(
        "obligations",
        "--inventory",
        "examples/ai-inventory.yaml",
        "--on",
        "2026-12-02",
        "--certified",
        "iso27001",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["timeline"]["key"] == "omnibus-2026" and "2026/1744" in data["timeline"]["legal_source"]
    chatbot = next(s for s in data["systems"] if s["name"] == "Customer chatbot")
    article_50_1 = next(o for o in chatbot["obligations"] if o["id"] == "Article 50(1)")
    assert article_50_1["applies"] is True and article_50_1["role"] == "provider"
    assert {"id", "role", "applies_from", "applies", "conditions", "verdict", "score"} <= set(article_50_1)
    assert data["baseline"]["standards"] == ["iso27001"]


def test_obligations_command_html_and_errors(tmp_path):
    out = tmp_path / "report.html"
    result = xwalk(
        "obligations",
        "--inventory",
        "examples/ai-inventory.yaml",
        "--certified",
        "iso27001",
        "--format",
        "html",
        "--output",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text("utf-8")
    assert "<svg" in html and "CV screening" in html and "not a prediction" in html
    bad = tmp_path / "bad.yaml"
    bad.write_text("systems:\n  - name: x\n    roles: [boss]\n    tier: high-risk\n", "utf-8")
    assert_clean_error(xwalk("obligations", "--inventory", str(bad)), "entry 1 (x) field roles: 'boss' is not a role")
    assert not list(tmp_path.glob(".*.tmp"))


def test_coverage_accepts_an_inventory(tmp_path):
    result = xwalk(
        "coverage",
        "--target",
        "eu-ai-act",
        "--inventory",
        "examples/ai-inventory.yaml",
        "--certified",
        "iso27001",
        "--on",
        "2026-12-02",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["target"]["inventory"] is True and data["target"]["timeline"] == "omnibus-2026"
    assert "Article 26(1)" in {p["id"] for p in data["provisions"]}


@pytest.mark.parametrize(("day", "status"), [(date(2025, 8, 1), "next"), (date(2025, 8, 2), "applies")])
def test_the_provisions_of_2_august_2025_notified_bodies_and_fines(catalog, day, status):
    body = {"name": "assessor", "roles": ["notified-body"], "tier": "high-risk"}
    assert found(run(catalog, [body], day))["Article 34"]["status"] == status
    banned = {"name": "scoring", "roles": ["provider"], "tier": "prohibited"}
    article_5 = found(run(catalog, [banned], day))["Article 5"]
    assert article_5["status"] == "applies"  # the prohibition itself since 2 February 2025
    assert article_5["penalty"]["in_force"] is (status == "applies")  # its fines since 2 August 2025 (Art. 113(b))


@pytest.mark.parametrize(
    ("timeline", "day", "status"),
    [
        ("omnibus-2026", date(2027, 12, 1), "next"),
        ("omnibus-2026", date(2027, 12, 2), "applies"),
        ("published-2024", date(2026, 8, 1), "next"),
        ("published-2024", date(2026, 8, 2), "applies"),
    ],
)
def test_deployer_duties_start_on_the_timelines_day(catalog, timeline, day, status):
    result = run(catalog, [PRIVATE_HR], day, timeline, organisation={"public_body": False})
    assert found(result)["Article 26(1)"]["status"] == status


def test_inventory_as_a_workbook(catalog, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "roles", "tier", "interacts_with_people"])
    book.active.append(["Bot", "provider", "transparency", True])
    book.active.append(["Bad", "provider", "gigantic", "perhaps"])
    path = tmp_path / "inventory.xlsx"
    book.save(path)
    with pytest.raises(XwalkError) as error:
        ai_act.read_inventory(catalog, path)
    assert "entry 2 (Bad) field tier: 'gigantic'" in str(error.value)
    assert "entry 2 (Bad) field interacts_with_people: 'perhaps'" in str(error.value)
    book.active.delete_rows(3)
    book.save(path)
    inventory = ai_act.read_inventory(catalog, path)
    assert inventory.systems[0].facts == {"interacts_with_people": True}


def test_the_organisation_summary_in_the_table(tmp_path):
    result = xwalk("obligations", "--inventory", "examples/ai-inventory.yaml", "--on", "2026-12-02", "--sme")
    assert result.returncode == 0, result.stderr
    assert "organisation: " in result.stdout and "next on 2027-12-02" in result.stdout
    assert "whichever is lower (SME)" in result.stdout


def test_a_yaml_inventory_reads_as_the_pure_python_yaml_parser_reads_it(catalog, tmp_path):
    """The inventory reader parses YAML with libyaml where PyYAML has it: the same inventory as yaml.safe_load gives
    (the example, and one with every kind of value: dates, booleans written as words, lists, quoted names); a
    broken file is still refused with its name and line, and so are aliases (core.bounded, as for every YAML)."""
    import yaml

    from xwalk.core import paths

    mixed = tmp_path / "mixed.yaml"
    mixed.write_text(
        "sme: yes\nsystems:\n"
        "  - {name: 'A: quoted', roles: provider deployer, tier: high-risk, placed_on_market: 2026-03-01}\n"
        "  - name: B\n    roles: [importer]\n    tier: minimal\n    open_source: no\n    annex_iii_area: education\n",
        "utf-8",
    )
    for path in (paths.ROOT / "examples" / "ai-inventory.yaml", mixed):
        expected = ai_act.validate(catalog, yaml.safe_load(path.read_text("utf-8")), path.name)
        assert ai_act.read_inventory(catalog, path, path.name) == expected
    broken = tmp_path / "broken.yaml"
    broken.write_text("systems:\n  - name: [unclosed\n", "utf-8")
    with pytest.raises(XwalkError, match=r"broken.yaml line \d+: not valid YAML \("):
        ai_act.read_inventory(catalog, broken, "broken.yaml")
    bomb = tmp_path / "bomb.yaml"  # 9^2 values from 80 bytes; nine levels would be 387 million
    bomb.write_text("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nsystems: [*b]\n")
    with pytest.raises(XwalkError, match=r"bomb.yaml line 2: YAML aliases \(\*name\) are not accepted"):
        ai_act.read_inventory(catalog, bomb, "bomb.yaml")
