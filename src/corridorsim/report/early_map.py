"""The corridor map drawn ahead: it needs only the scenario, not the results, so a forked
process can draw it while the replications run, and the report takes the finished files.
The files are the same as drawing it afterwards; if the process fails, the map is drawn
the usual way."""

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

from corridorsim import plots
from corridorsim.pools import forking
from corridorsim.scenario.loader import LoadedScenario

__all__ = ["MAP_NAME", "MAP_TITLE", "EarlyMap"]

MAP_NAME = "corridor_map"
MAP_TITLE = "Corridor map"


def _draw(loaded: LoadedScenario, folder: str, formats: tuple[str, ...]) -> None:
    plots.save(plots.plot_corridor_map(loaded), os.path.join(folder, MAP_NAME), formats=formats)


def _child(loaded: LoadedScenario, folder: str, formats: tuple[str, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _draw(loaded, folder, formats)
    except Exception:  # no traceback here: the report draws the map itself, and says why
        os._exit(1)


class EarlyMap:
    """A map being drawn in a forked process (where the platform forks; else nothing is
    started and :meth:`collect` returns None). Use as a context manager, or call
    :meth:`close`, so that an unfinished process and its folder never outlive the run."""

    def __init__(self, loaded: LoadedScenario, formats: Sequence[str]):
        self.formats = ("png", *(f for f in formats if f != "png"))
        self.folder = Path(tempfile.mkdtemp(prefix="corridorsim-map-"))
        self.process: BaseProcess | None = None
        if "fork" in multiprocessing.get_all_start_methods():
            with warnings.catch_warnings():  # see report.figures: the child only draws
                warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
                ctx = multiprocessing.get_context("fork")
                self.process = ctx.Process(
                    target=_child, args=(loaded, str(self.folder), self.formats), daemon=True
                )
                with forking():
                    self.process.start()

    def collect(self, into: Path) -> tuple[str, ...] | None:
        """Wait for the map and move its files into ``into`` (``plots/NAME.ext``
        relative paths returned), or None if it could not be drawn ahead."""
        if self.process is None:
            return None
        self.process.join()
        made = [self.folder / f"{MAP_NAME}.{f}" for f in self.formats]
        if self.process.exitcode != 0 or not all(p.is_file() for p in made):
            return None
        (into / "plots").mkdir(parents=True, exist_ok=True)
        for p in made:
            shutil.move(str(p), into / "plots" / p.name)
        return tuple(f"plots/{p.name}" for p in made)

    def close(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> EarlyMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
