"""The cache of finished runs (``OUT/runs``): its key holds everything a run's result
depends on, and a file it cannot trust is run again, never a traceback."""

from __future__ import annotations

import io
import pickle
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from corridorsim import fingerprint
from corridorsim.batch import RunCache, run_batch, run_keys
from corridorsim.network.files import _builtin_path
from corridorsim.scenario import load_scenario

from .builders import flow, scenario
from .engine_helpers import toy_scenario

KEY = "k" * 32


def two_flows(tmp_path, first="a", second="b"):
    body = scenario(
        flow("B1", "D", 300, id=first, schedule=False),
        flow("B1", "D", 200, id=second, schedule=False),
        days=30,
        trains={1520: 2},
    )
    return toy_scenario(tmp_path, body)


def test_a_copy_of_the_builtin_network_is_not_the_builtin_network(tmp_path):
    """The built-in network's posts are calibrated, a copy's are not: the runs differ,
    and so must their keys (they were the same)."""
    shutil.copy(_builtin_path(), tmp_path / "network.yaml")
    (tmp_path / "copy.yaml").write_text(
        "extends: western-rail.yaml\nnetwork:\n  file: network.yaml\n", encoding="utf-8"
    )
    builtin = load_scenario("western-rail")
    copy = load_scenario(tmp_path / "copy.yaml")
    assert run_keys(builtin, 1, 2)[1] != run_keys(copy, 1, 2)[1]


def test_the_code_digest_follows_every_source_and_data_file(tmp_path):
    package = Path(fingerprint.__file__).parent
    copy = tmp_path / "corridorsim"
    shutil.copytree(package, copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    before = fingerprint.digest_of(copy)
    assert before == fingerprint.code_digest()
    for changed in (
        "data/calibrated_posts.yaml",
        "data/calibrated_closures.yaml",
        "engine/lanes.py",
    ):
        original = (copy / changed).read_bytes()
        (copy / changed).write_bytes(original + b"\n")
        assert fingerprint.digest_of(copy) != before, changed
        (copy / changed).write_bytes(original)
    assert fingerprint.digest_of(copy) == before


def test_the_key_holds_the_library_versions(tmp_path, monkeypatch):
    loaded = two_flows(tmp_path)
    before = run_keys(loaded, 1, 1)
    monkeypatch.setattr(np, "__version__", "0.0.1")
    assert run_keys(loaded, 1, 1) != before


def damaged_files(tmp_path) -> dict[str, bytes]:
    """Cache files a key could find that are not whole, not ours, or for other flows."""
    good = tmp_path / "good"
    RunCache(good).put(KEY, {"a": np.array([1.0, 2.0]), "b": np.array([3.0])})
    whole = (good / f"{KEY}.npz").read_bytes()
    other = tmp_path / "other"
    RunCache(other).put(KEY, {"x": np.array([1.0]), "b": np.array([3.0])})
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, names=np.array(["a", "b"], dtype=object), t0=np.ones(1), t1=np.ones(1))
    old_format = tmp_path / "old.npz"
    np.savez(old_format, a=np.ones(2), b=np.ones(1))
    return {
        "empty": b"",
        "truncated": whole[: len(whole) // 2],
        "text": b"not a cache file\n",
        "a pickle": pickle.dumps({"a": [1.0]}),
        "a bare array": _npy(np.ones(2)),
        "other flows": (other / f"{KEY}.npz").read_bytes(),
        "object names": pickled.read_bytes(),
        "the format before": old_format.read_bytes(),
        "a zip of something else": _zip(tmp_path),
    }


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _zip(tmp_path) -> bytes:
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("names.npy", b"\x93NUMPY garbage")
    return path.read_bytes()


def test_a_damaged_or_foreign_cache_file_is_treated_as_missing(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    cache = RunCache(folder)
    for what, content in damaged_files(tmp_path).items():
        (folder / f"{KEY}.npz").write_bytes(content)
        assert cache.get(KEY, ["a", "b"]) is None, what
    (folder / f"{KEY}.npz").unlink()
    (folder / f"{KEY}.npz").mkdir()  # a folder where the file should be
    assert cache.get(KEY, ["a", "b"]) is None


@pytest.mark.parametrize("names", [("file", "allow_pickle"), ("a", "b")])
def test_a_damaged_file_is_run_again_and_replaced(tmp_path, names):
    """Flows named like numpy's own arguments (``file``, ``allow_pickle``) are kept and
    read back too (they made ``np.savez`` raise)."""
    loaded = two_flows(tmp_path, *names)
    cache = tmp_path / "runs"
    first = run_batch([loaded], replications=2, seed=4, cache=cache)
    assert (first.ran, first.reused) == (2, 0)
    again = run_batch([loaded], replications=2, seed=4, cache=cache)
    assert (again.ran, again.reused) == (0, 2)
    key = run_keys(loaded, 4, 2)[1]
    (cache / f"{key}.npz").write_bytes((cache / f"{key}.npz").read_bytes()[:100])
    mended = run_batch([loaded], replications=2, seed=4, cache=cache)
    assert (mended.ran, mended.reused) == (1, 1)
    for r in range(2):
        for name in names:
            np.testing.assert_array_equal(mended.transits[0][r][name], first.transits[0][r][name])
    assert RunCache(cache).get(key, list(names)) is not None  # replaced by a whole file
