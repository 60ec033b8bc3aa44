"""Commands answered from the cache (no --store, no --endpoint) get a store with the whole store interface: the
cached store used to lack `digest`, so `xwalk release` over the source files failed with a traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

from xwalk.load import load
from xwalk.load.cache import CachedStore, open_cached
from xwalk.store import StoreBackend

XWALK = str(Path(sys.executable).parent / "xwalk")


def test_the_cached_store_implements_the_store_interface(tmp_path):
    store = open_cached(where=str(tmp_path / "cache"))
    assert isinstance(store, CachedStore) and isinstance(store, StoreBackend)
    assert store.digest() == load().digest()


def test_release_over_the_cached_source_files(tmp_path):
    out = tmp_path / "release"
    out.mkdir()
    env = {**os.environ, "XWALK_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [XWALK, "release", "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    release = json.loads((out / "release.json").read_text("utf-8"))
    assert release["digest"] == "sha256:" + load().digest()
    assert (out / f"xwalk-{release['version']}.nq").is_file()
