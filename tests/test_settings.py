"""One Settings read once from the environment (issue 12): command-line values win, empty variables are unset, a
bad number is refused naming the variable, and the imports folder reaches the loader through the CLI root."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from xwalk.cli import main
from xwalk.core.errors import XwalkError
from xwalk.core.settings import Settings


def test_the_environment_is_read_and_given_values_win(tmp_path):
    environ = {"XWALK_WORKERS": "3", "XWALK_STORE": "", "XWALK_IMPORTS": str(tmp_path), "XWALK_QUERY_TIMEOUT": "2.5"}
    settings = Settings.from_env(environ, workers=7, endpoint=None)
    assert (settings.workers, settings.query_timeout, settings.imports) == (7, 2.5, tmp_path)
    assert settings.store_dir is None and settings.endpoint is None  # empty and None count as not given
    assert Settings.from_env({}) == Settings()


def test_a_bad_value_is_refused_naming_the_variable():
    with pytest.raises(XwalkError, match=r"XWALK_WORKERS='four': expected a whole number"):
        Settings.from_env({"XWALK_WORKERS": "four"})
    with pytest.raises(TypeError, match="no such setting: wokers"):
        Settings.from_env({}, wokers=2)


def test_the_cli_root_reads_them_once_and_says_so_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("XWALK_QUERY_TIMEOUT", "soon")
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 2 and "XWALK_QUERY_TIMEOUT='soon': expected a number" in result.output


def test_imported_sets_reach_the_loader_as_an_argument(tmp_path, monkeypatch):
    from xwalk.load import imported_files, source_files

    (tmp_path / "imported-x.sssom.tsv").write_text("", "utf-8")
    monkeypatch.setenv("XWALK_IMPORTS", str(tmp_path))  # the loader no longer reads it behind the caller's back
    assert imported_files() == []
    assert imported_files(Settings.from_env().imports) == [Path(tmp_path / "imported-x.sssom.tsv")]
    assert all(f.name != "imported-x.sssom.tsv" for f in source_files())


def test_the_upload_limits_are_settings_the_service_passes_to_the_upload_readers():
    from xwalk.api import create_app
    from xwalk.services import baseline, upload

    environ = {"XWALK_UPLOAD_TIMEOUT": "7.5", "XWALK_UPLOAD_MEMORY": str(16 * 1024 * 1024), "XWALK_UPLOAD_WORKERS": "3"}
    settings = Settings.from_env(environ)
    assert (settings.upload_timeout, settings.upload_memory, settings.upload_workers) == (7.5, 16 * 1024 * 1024, 3)
    with pytest.raises(XwalkError, match=r"XWALK_UPLOAD_MEMORY='a lot': expected a whole number"):
        Settings.from_env({"XWALK_UPLOAD_MEMORY": "a lot"})
    # big enough that reading it must map fresh memory, whatever the forked worker already holds
    larger = b"Control,Status\n" + b"A.5.1,implemented\n" * 50_000
    create_app(settings)  # the app factory hands its limits to the readers of uploads
    try:
        with pytest.raises(upload.UploadRefused, match="soa.csv: reading the file needed more than 16 MB of memory"):
            upload.parse("soa.csv", larger, baseline.ReadOptions())
    finally:
        create_app(Settings())
    with pytest.raises(XwalkError, match="50000 rows is more than"):  # read whole under the default 1 GiB
        upload.parse("soa.csv", larger, baseline.ReadOptions())
    with pytest.raises(XwalkError, match="at least 1 upload"):
        upload.configure(Settings(upload_workers=0))


def test_the_cache_folder_is_a_setting():
    assert Settings.from_env({"XWALK_CACHE": "off"}).cache == "off"
    assert Settings.from_env({}).cache is None
