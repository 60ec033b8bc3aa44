"""Published quality figures of the curated mapping sets (`xwalk stats --mappings`): counts, the share of each
relation, and the agreement of the blind second review, recomputed from the review ledger."""

import csv

import pytest

from test_cli import xwalk
from xwalk.core.errors import XwalkError
from xwalk.services.stats import REVIEW_LEDGER, cohen_kappa, mapping_quality, review_ledger


def test_cohen_kappa_of_a_textbook_table():
    # 50 items: both yes 20, first yes second no 5, first no second yes 10, both no 15 -> kappa 0.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([("a", "a")] * 5) is None  # one category only: chance agreement is total
    assert cohen_kappa([]) is None


@pytest.fixture(scope="module")
def quality(catalog):
    return {q.mapping_set: q for q in mapping_quality(catalog)}


def test_every_curated_set_has_a_second_review_and_an_agreement_figure(quality):
    assert len(quality) == 9
    for q in quality.values():
        assert q.reviewed > 0 and q.first_pass is not None and q.first_pass.pairs > 0, q.mapping_set
        assert sum(q.by_relation.values()) == q.rows


def test_agreement_is_recomputed_from_the_ledger(quality):
    rows = [r for r in review_ledger() if r["mapping_set"] == "iso27701-2019_iso27701-2025"]
    q = quality["iso27701-2019_iso27701-2025"]
    assert q.first_pass.pairs == len(rows)
    assert q.first_pass.same == sum(r["first_relation"] == r["second_relation"] for r in rows)
    assert q.final.same == sum(r["final_relation"] == r["second_relation"] for r in rows)
    assert q.first_pass.same < q.first_pass.pairs  # this set had real disagreements to resolve


def test_a_ledger_without_its_columns_is_a_clear_error(tmp_path):
    bad = tmp_path / "second-review.csv"
    with REVIEW_LEDGER.open(encoding="utf-8") as handle:
        header = next(line for line in handle if not line.startswith("#"))
    bad.write_text(header.replace("second_relation", "verdict"), "utf-8")
    with pytest.raises(XwalkError, match="second-review.csv: the columns second_relation are missing"):
        review_ledger(bad)


def test_stats_mappings_prints_counts_agreement_and_relation_shares(quality):
    result = xwalk("stats", "--mappings")
    assert result.returncode == 0, result.stderr
    for name, q in quality.items():
        line = next(line for line in result.stdout.splitlines() if line.startswith(name + " "))
        cells = line.split()
        assert cells[1:3] == [str(q.rows), str(q.reviewed)]
        assert f"{q.first_pass.same}/{q.first_pass.pairs}" in line
        assert f"{q.by_relation.get('intersects_with', 0) / q.rows:.0%}" in cells
    assert "kappa" in result.stdout and "agree (first pass)" in result.stdout


def test_the_ledger_names_only_rows_of_the_sets():
    with REVIEW_LEDGER.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    assert {r["review"] for r in rows} >= {"2026-11 Annex A", "2026-12 issue 13, reviewer A"}
