"""Every OSCAL export, with and without a baseline, against the NIST OSCAL 1.2.1 JSON schemas (stored copies, see
tests/schemas/oscal-1.2.1/README.md) and against the Metaschema constraints those schemas cannot express, checked
by the project's own `oscal_check.violations`. The CLI writes the files, as a user runs it."""

import csv
import json
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner
from jsonschema import Draft7Validator, ValidationError, validators

from xwalk.cli import main
from xwalk.core import paths
from xwalk.services import baseline
from xwalk.services.exchange import oscal, oscal_check

SCHEMAS = Path(__file__).parent / "schemas" / "oscal-1.2.1"
MODELS = {".catalog.json": "catalog", ".mapping.json": "mapping", ".profile.json": "profile", ".ssp.json": "ssp"}
SOA = paths.ROOT / "examples" / "soa-27001-partial.csv"


def _pattern(validator, pattern, instance, schema):
    """JSON Schema's `pattern` with the `regex` module: OSCAL's patterns use `\\p{L}`, which `re` rejects."""
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


OscalValidator = validators.extend(Draft7Validator, {"pattern": _pattern})


def validator(model: str):
    schema = json.loads((SCHEMAS / f"oscal_{model}_schema.json").read_text("utf-8"))
    return OscalValidator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def run_export(folder: Path, *extra: str) -> dict[str, dict]:
    result = CliRunner().invoke(main, ["export", "--format", "oscal", "--output", str(folder), *extra])
    assert result.exit_code == 0, result.output
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted((folder / "oscal").glob("*.json"))}


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, tuple[Path, dict[str, dict]]]:
    plain = tmp_path_factory.mktemp("oscal-plain")
    with_baseline = tmp_path_factory.mktemp("oscal-baseline")
    return {
        "plain": (plain, run_export(plain)),
        "baseline": (with_baseline, run_export(with_baseline, "--baseline", str(SOA))),
    }


@pytest.mark.parametrize("variant", ["plain", "baseline"])
def test_every_oscal_export_is_valid_against_the_oscal_schemas(exports, variant):
    folder, documents = exports[variant]
    validators_by_model = {model: validator(model) for model in MODELS.values()}
    errors = []
    for name, document in documents.items():
        model = next(m for suffix, m in MODELS.items() if name.endswith(suffix))
        errors += [f"{name}: {e.json_path}: {e.message}" for e in validators_by_model[model].iter_errors(document)]
    assert errors == []
    kinds = {next(iter(d)) for d in documents.values()}
    baseline_kinds = {"profile", "system-security-plan"} if variant == "baseline" else set()
    assert kinds == {"catalog", "mapping-collection"} | baseline_kinds


def test_the_schema_check_catches_what_it_should():
    """The validator with `regex` patterns refuses a bad token and a bad UUID (so a pass above means something)."""
    check = validator("catalog")
    good = {"catalog": {"uuid": "0b1e2c0a-1c1d-4e5f-8a9b-0c1d2e3f4a5b", "metadata": oscal.metadata("t")}}
    assert list(check.iter_errors(good)) == []
    bad_uuid = {"catalog": {**good["catalog"], "uuid": "not-a-uuid"}}
    bad_token = {"catalog": {**good["catalog"], "controls": [{"id": "1 bad id", "title": "x"}]}}
    assert list(check.iter_errors(bad_uuid)) and list(check.iter_errors(bad_token))


@pytest.mark.parametrize("variant", ["plain", "baseline"])
def test_every_oscal_export_keeps_the_metaschema_constraints(exports, variant):
    folder, documents = exports[variant]
    assert oscal_check.violations(documents) == []
    if variant == "baseline":  # the plan's profile link resolves to the written file
        href = documents[oscal.SSP_FILE]["system-security-plan"]["import-profile"]["href"]
        assert (folder / "oscal" / href).is_file() and "profile" in documents[href]


def test_the_constraint_check_reports_each_broken_rule(exports):
    """The export of the issue's findings, rebuilt by hand: each broken rule is named."""
    _, documents = exports["baseline"]
    broken = json.loads(json.dumps(documents))
    catalog = broken["iso27001.catalog.json"]["catalog"]
    first = catalog["groups"][0]["controls"][0]
    first.pop("parts")
    plan = broken[oscal.SSP_FILE]["system-security-plan"]
    plan["import-profile"]["href"] = "iso27001.profile.json"
    plan["system-characteristics"]["system-ids"][0]["identifier-type"] = "https://ietf.org/rfc/rfc4122"
    plan["system-characteristics"]["system-information"]["information-types"][0].pop("uuid")
    plan["control-implementation"]["implemented-requirements"][0]["props"][0].pop("ns")
    collection = broken["iso42001-2023_iso27001-2022.mapping.json"]["mapping-collection"]
    collection["mappings"][0]["maps"][0]["sources"][0]["id-ref"] = "iso42001_A.6"  # a group
    broken[oscal.PROFILE_FILE]["profile"]["uuid"] = plan["uuid"]
    found = "\n".join(oscal_check.violations(broken))
    for expected in (
        f"control {first['id']} has no statement part",
        "import-profile 'iso27001.profile.json'",
        "deprecated identifier-type",
        "has no uuid",
        "prop 'label' in OSCAL's namespace",
        "names 'iso42001_A.6', not a control",
        "is also that of",
    ):
        assert expected in found


def test_group_level_mappings_are_left_out_and_listed_in_the_report(exports, store):
    folder, documents = exports["plain"]
    with (folder / "oscal" / "group-level-mappings.csv").open(encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    in_collections = {
        link["href"]
        for d in documents.values()
        if "mapping-collection" in d
        for m in d["mapping-collection"]["mappings"][0]["maps"]
        for link in m["links"]
        if link["rel"] == "canonical"
    }
    every = {r["mapping"] for r in store.select("export_mappings")}
    left_out = {r["mapping"] for r in listed}
    assert left_out and not left_out & in_collections and left_out | in_collections == every
    assert all(r["group"] in (r["subject_id"], r["object_id"]) for r in listed)
    assert any(r["group"].endswith("/A.6") for r in listed)  # a 42001 objective is a group


def test_equal_is_exported_as_equivalent_to(exports):
    _, documents = exports["plain"]
    relations = {
        m["relationship"]
        for d in documents.values()
        if "mapping-collection" in d
        for m in d["mapping-collection"]["mappings"][0]["maps"]
    }
    assert "equivalent-to" in relations and "equal-to" not in relations


def test_document_uuids_follow_the_content(catalog):
    partial = list(baseline.build(catalog, SOA).entries.values())
    full = list(baseline.build(catalog, paths.ROOT / "examples" / "soa-27001-full.csv").entries.values())
    for make in (oscal.ssp, oscal.profile):
        same = make(catalog, partial)
        again = make(catalog, partial, when=None)
        other = make(catalog, full)
        root = next(iter(same))
        assert same[root]["uuid"] == again[root]["uuid"] != other[root]["uuid"]
