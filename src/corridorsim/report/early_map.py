"""The corridor map drawn ahead: it needs only the scenario, not the results, so it is
taken from the cache of maps drawn before (:mod:`corridorsim.report.map_cache`) or a
forked process draws it while the replications run, and the report takes the finished
files. The files are the same as drawing it afterwards; if the process fails, the map is
drawn the usual way."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import tempfile
import warnings
from collections.abc import Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path

from corridorsim.pools import forking
from corridorsim.report.map_cache import MapCache, map_key
from corridorsim.scenario.loader import LoadedScenario

__all__ = ["MAP_NAME", "MAP_TITLE", "EarlyMap"]

MAP_NAME = "corridor_map"
MAP_TITLE = "Corridor map"
MAP_DPI = 130


def _draw(loaded: LoadedScenario, folder: str, formats: tuple[str, ...]) -> None:
    from corridorsim import plots  # here: a map taken from the cache needs no matplotlib

    plots.save(
        plots.plot_corridor_map(loaded),
        os.path.join(folder, MAP_NAME),
        formats=formats,
        dpi=MAP_DPI,
    )


def _child(loaded: LoadedScenario, folder: str, formats: tuple[str, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _draw(loaded, folder, formats)
    except Exception:  # no traceback here: the report draws the map itself, and says why
        os._exit(1)


class EarlyMap:
    """The map of a scenario: from the cache where it was drawn before, else drawn by a
    forked process (with ``ahead``, where the platform forks), else not at all (then
    :meth:`collect` returns None and :meth:`keep` caches the map drawn afterwards). Use
    as a context manager, or call :meth:`close`, so that an unfinished process and its
    folder never outlive the run."""

    def __init__(self, loaded: LoadedScenario, formats: Sequence[str], ahead: bool = True):
        self.formats = ("png", *(f for f in formats if f != "png"))
        self.cache = MapCache(map_key(loaded, self.formats, MAP_DPI), MAP_NAME, self.formats)
        self.folder = Path(tempfile.mkdtemp(prefix="corridorsim-map-"))
        self.process: BaseProcess | None = None
        forks = "fork" in multiprocessing.get_all_start_methods()
        if ahead and forks and not self.cache.hit():
            with warnings.catch_warnings():  # see report.figures: the child only draws
                warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
                ctx = multiprocessing.get_context("fork")
                self.process = ctx.Process(
                    target=_child, args=(loaded, str(self.folder), self.formats), daemon=True
                )
                with forking():
                    self.process.start()

    def collect(self, into: Path) -> tuple[str, ...] | None:
        """The map's files in ``into/plots`` (``plots/NAME.ext`` relative paths
        returned): copied from the cache, or moved there once the process has drawn
        them (and kept in the cache); None if it was neither cached nor drawn ahead."""
        cached = self.cache.copy_to(into / "plots")
        if cached is not None:
            return tuple(f"plots/{p.name}" for p in cached)
        if self.process is None:
            return None
        self.process.join()
        made = [self.folder / f"{MAP_NAME}.{f}" for f in self.formats]
        if self.process.exitcode != 0 or not all(p.is_file() for p in made):
            return None
        (into / "plots").mkdir(parents=True, exist_ok=True)
        for p in made:
            shutil.move(str(p), into / "plots" / p.name)
        self.keep(into)
        return tuple(f"plots/{p.name}" for p in made)

    def keep(self, into: Path) -> None:
        """Put the map drawn in ``into/plots`` in the cache."""
        self.cache.keep([into / "plots" / f"{MAP_NAME}.{f}" for f in self.formats])

    def close(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> EarlyMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
