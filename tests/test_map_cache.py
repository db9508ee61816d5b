"""The corridor map kept in the user's cache folder: taken instead of drawn when the
same map was drawn before, drawn again when anything it shows changes, and never an
error when the cache is damaged or cannot be written."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corridorsim.report import write_run
from corridorsim.report.early_map import EarlyMap
from corridorsim.report.map_cache import CACHE_VARIABLE, cache_folder, map_key
from corridorsim.results import summarize

from .engine_helpers import mmc_body, toy_run

PNG = "plots/corridor_map.png"


@pytest.fixture
def res(tmp_path):
    return toy_run(tmp_path, mmc_body(None, 0.5, 0.1, days=5, warmup=1, replications=1))


def _write(res, out, jobs=2):
    with EarlyMap(res.loaded, ("png",), ahead=jobs > 1) as early:
        folder = write_run(res, summarize(res), out, jobs=jobs, early_map=early)
        return folder, early


def test_a_map_drawn_before_is_copied_not_drawn_and_is_the_same_file(res, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    first, early = _write(res, tmp_path / "a")
    assert early.process is not None  # drawn: nothing cached yet
    second, early = _write(res, tmp_path / "b")
    assert early.process is None  # taken from the cache: no process started
    assert (second / PNG).read_bytes() == (first / PNG).read_bytes()
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    drawn, _ = _write(res, tmp_path / "c")
    assert (drawn / PNG).read_bytes() == (first / PNG).read_bytes()


def test_a_map_drawn_in_this_process_is_cached_too(res, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    first, early = _write(res, tmp_path / "a", jobs=1)
    assert early.process is None
    assert early.cache.hit()
    second, _ = _write(res, tmp_path / "b", jobs=1)
    assert (second / PNG).read_bytes() == (first / PNG).read_bytes()


def test_the_key_follows_what_the_map_shows_and_nothing_else(res):
    from corridorsim.experiments import with_settings

    key = map_key(res.loaded, ("png",), 130)
    assert map_key(res.loaded, ("png",), 130) == key
    assert map_key(res.loaded, ("png", "svg"), 130) != key
    assert map_key(res.loaded, ("png",), 100) != key
    # seed and replications change the results, not the map
    other_run = with_settings(res.loaded, seed=99, replications=3)
    assert map_key(other_run, ("png",), 130) == key
    renamed = replace(res.loaded, scenario=res.loaded.scenario.model_copy(update={"name": "b"}))
    assert map_key(renamed, ("png",), 130) != key


def test_a_closed_link_gives_another_key(tmp_path):
    from corridorsim.scenario import load_scenario

    base = load_scenario()
    path = tmp_path / "closed.yaml"
    path.write_text(
        "extends: builtin:default\nname: default\nnetwork:\n  close_links: [KBL-MZR:road]\n",
        encoding="utf-8",
    )
    closed = load_scenario(path)
    assert map_key(closed, ("png",), 130) != map_key(base, ("png",), 130)


@pytest.mark.parametrize(
    "damage",
    [b"", b"\x89PNG\r\n\x1a\n truncated", b"<svg>not a png</svg>"],
    ids=["empty", "truncated", "not-png"],
)
def test_a_damaged_cached_map_is_drawn_again_and_replaced(res, tmp_path, monkeypatch, damage):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    first, early = _write(res, tmp_path / "a")
    cached = early.cache.folder / "corridor_map.png"
    cached.write_bytes(damage)
    second, early = _write(res, tmp_path / "b")
    assert early.process is not None  # not trusted: drawn again
    assert (second / PNG).read_bytes() == (first / PNG).read_bytes()
    assert cached.read_bytes() == (first / PNG).read_bytes()  # and the cache mended


def test_a_cache_that_cannot_be_written_is_no_error(res, tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker))
    out, early = _write(res, tmp_path / "a")
    assert (out / PNG).is_file()
    assert not early.cache.hit()
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_the_cache_folder_is_the_variable_or_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    assert cache_folder() == tmp_path / "maps"
    for off in ("off", "", "0"):
        monkeypatch.setenv(CACHE_VARIABLE, off)
        assert cache_folder() is None
    monkeypatch.delenv(CACHE_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "corridorsim" / "maps"
