"""The persisted cache (xwalk.cache): its answers are the store's answers, value for value and type for type; a
cache made from other source files is never read; a damaged cache is only a miss; a warm cache answers without
loading the store."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from xwalk.core.settings import Settings
from xwalk.core.vocab import IRI
from xwalk.load import cache, source_files

XWALK = str(Path(sys.executable).with_name("xwalk"))
EXAMPLE = str(Path(__file__).resolve().parents[1] / "examples" / "soa-27001-full.csv")
ISO42001 = IRI("https://w3id.org/xwalk/id/iso-iec-42001-2023")
QUESTIONS = [  # every kind of value a named query answers: IRIs, strings, integers, booleans, dates, None
    ("standards", {}),
    ("notations", {}),
    ("provision", {}),
    ("standard_units", {"key": "iso42001"}),
    ("coverage_evidence", {"target": ISO42001, "with_derived": True}),
    ("coverage_reviewed", {"target": ISO42001}),
    ("ai_act_terms", {}),
    ("obligations", {"role": "provider", "tier": "high-risk", "timeline": "omnibus-2026", "on": date(2028, 1, 1)}),
]


def run(*args: str, cache_folder: Path | str) -> subprocess.CompletedProcess:
    env = {**os.environ, "XWALK_CACHE": str(cache_folder)}
    return subprocess.run([XWALK, *args], capture_output=True, text=True, timeout=300, env=env)


def test_cached_answers_are_the_stores_answers_value_for_value_and_type_for_type(store, tmp_path):
    first = cache.CachedStore(source_files(), tmp_path)
    for name, bindings in QUESTIONS:
        first.select(name, **bindings)
    again = cache.CachedStore(source_files(), tmp_path)  # a new process reading what the first one wrote
    for name, bindings in QUESTIONS:
        live, cached = store.select(name, **bindings), again.select(name, **bindings)
        assert cached == live and cached, name
        assert [[type(v) for v in row.values()] for row in cached] == [
            [type(v) for v in row.values()] for row in live
        ], name
    assert again._store is None  # every answer came from the files: the store was never loaded


def test_a_changed_source_file_is_never_answered_from_the_old_cache(project_copy, tmp_path):
    folder = tmp_path / "cache"
    command = ["--root", str(project_copy), "coverage", "--baseline", EXAMPLE, "--target", "iso42001", "--format"]
    before = run(*command, "json", cache_folder=folder)
    assert before.returncode == 0, before.stderr
    assert run(*command, "json", cache_folder=folder).stdout == before.stdout  # answered from the cache
    mapping_set = project_copy / "mappings" / "iso42001-2023_iso27001-2022.sssom.tsv"
    mapping_set.write_text(mapping_set.read_text("utf-8").replace("\txw:intersects_with\t", "\txw:equal\t"), "utf-8")
    after = run(*command, "json", cache_folder=folder)
    uncached = run(*command, "json", cache_folder="off")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(uncached.stdout)
    relations = [  # the element-level reuse carries the scores of 42001 from 27001; the mappings stay evidence
        [e["relation"] for p in json.loads(out.stdout)["provisions"] for e in p["evidence"]] for out in (before, after)
    ]
    assert relations[0] != relations[1]
    assert len([p for p in folder.iterdir() if p.is_dir()]) == 2  # one folder per digest of the sources


def test_the_digest_covers_every_source_file_even_one_added_later(project_copy):
    before = cache.digest(source_files(project_copy))
    new_catalog = project_copy / "ontology" / "catalogs" / "zz_new_catalog.ttl"
    new_catalog.write_text("# a catalog another engineer adds\n", "utf-8")
    assert new_catalog in source_files(project_copy)
    assert cache.digest(source_files(project_copy)) != before


def test_a_remembered_digest_is_never_taken_for_an_edit_that_keeps_size_and_modification_time(
    project_copy, tmp_path, monkeypatch
):
    files = source_files(project_copy)
    assert cache.digest(files, tmp_path) == cache.digest(files)
    assert not (tmp_path / ".stamps.json").exists()  # the copies were just written: too fresh to remember
    monkeypatch.setattr(cache, "SETTLED", -60.0)  # as if they had been still for a minute
    original = cache.digest(files, tmp_path)
    assert json.loads((tmp_path / ".stamps.json").read_text("utf-8")) == {next(iter(cache._stamps(tmp_path))): original}
    mapping_set = project_copy / "mappings" / "iso42001-2023_iso27001-2022.sssom.tsv"
    before, text = mapping_set.stat(), mapping_set.read_text("utf-8")
    mapping_set.write_text(text.replace("xw:intersects_with", "xw:subset_of_xxxxx", 1), "utf-8")
    os.utime(mapping_set, ns=(before.st_atime_ns, before.st_mtime_ns))  # size and modification time as they were
    assert mapping_set.stat().st_size == before.st_size and mapping_set.stat().st_mtime_ns == before.st_mtime_ns
    assert cache.digest(files, tmp_path) == cache.digest(files) != original  # the change time gave it away
    mapping_set.write_text(text, "utf-8")
    assert cache.digest(files, tmp_path) == original  # the same bytes again: the same cache folder


def test_a_damaged_cache_is_a_miss_and_a_broken_source_writes_nothing(project_copy, tmp_path):
    folder = tmp_path / "cache"
    good = run("--root", str(project_copy), "stats", cache_folder=folder)
    assert good.returncode == 0, good.stderr
    (entry,) = (p for p in folder.iterdir() if p.is_dir())
    for answer in (entry / "answers").iterdir():
        answer.write_text('{"names": ["key"], "columns": [{"type": "i", "values": [1', "utf-8")
    (entry / "dataset.nq").write_text("this is not N-Quads", "utf-8")
    damaged = run("--root", str(project_copy), "stats", cache_folder=folder)
    assert damaged.returncode == 0 and damaged.stdout == good.stdout, damaged.stderr
    assert json.loads(next((entry / "answers").iterdir()).read_text("utf-8"))  # rewritten whole
    catalog = project_copy / "ontology" / "catalogs" / "iso42001_2023.ttl"
    catalog.write_text(catalog.read_text("utf-8") + "\nthis is not Turtle\n", "utf-8")
    broken = run("--root", str(project_copy), "stats", cache_folder=folder)
    assert broken.returncode == 2 and "iso42001_2023.ttl" in broken.stderr and "Traceback" not in broken.stderr
    assert [p.name for p in folder.iterdir() if p.is_dir()] == [entry.name]  # nothing was cached for the broken sources


def test_build_fills_the_cache_and_a_cached_coverage_neither_loads_nor_parses(tmp_path):
    folder = tmp_path / "cache"
    built = run("build", "--no-validate", cache_folder=folder)
    assert built.returncode == 0 and "cached" in built.stdout, built.stderr
    code = (
        "import sys; from xwalk.cli import main\n"
        f"try: main(['coverage', '--baseline', {EXAMPLE!r}, '--target', 'iso42001'])\n"
        "except SystemExit: pass\n"
        "print(sorted({'pyoxigraph', 'yaml', 'xwalk.sssom', 'xwalk.store', 'difflib'} & set(sys.modules)))"
    )
    env = {**os.environ, "XWALK_CACHE": str(folder)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
    assert "covered" in done.stdout


def test_the_cache_can_be_turned_off(tmp_path):
    off = Settings.from_env({"XWALK_CACHE": "off"}).cache  # the settings read the variable, once
    assert cache.folder(off) is None
    assert not isinstance(cache.open_cached(source_files()[:1], where=off), cache.CachedStore)
    assert isinstance(cache.open_cached(source_files()[:1], where=str(tmp_path)), cache.CachedStore)
