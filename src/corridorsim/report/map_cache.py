"""The corridor map kept in the user's cache folder, under a hash of what it is drawn
from: the network as run (with the scenario's changes to it), the scenario's name, each
flow's name and route, the file formats, and the code and matplotlib version that draw
it. A run whose map was drawn before (any run of the same scenario, whatever its seed,
demand or replications) takes the files from the cache instead of drawing the map again;
the bytes are the same.

The folder is ``CORRIDORSIM_CACHE_DIR`` if set (``off`` or empty: no cache), else the
platform's user cache folder (``~/.cache/corridorsim`` on Linux). A damaged, missing or
unwritable cache is never an error: the map is drawn as if there were none.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import platformdirs

from corridorsim.fingerprint import code_digest
from corridorsim.scenario.loader import LoadedScenario
from corridorsim.scenario.resolved import resolved_scenario

__all__ = ["CACHE_VARIABLE", "MapCache", "cache_folder", "map_key"]

CACHE_VARIABLE = "CORRIDORSIM_CACHE_DIR"
_OFF = ("", "off", "0", "no", "false")
_PNG_START, _PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"


def cache_folder() -> Path | None:
    """Where maps are kept: ``$CORRIDORSIM_CACHE_DIR/maps``, or the user cache folder's
    ``maps``; None when the variable turns the cache off."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None:
        return None if chosen.strip().lower() in _OFF else Path(chosen) / "maps"
    return Path(platformdirs.user_cache_dir("corridorsim")) / "maps"


def map_key(loaded: LoadedScenario, formats: Sequence[str], dpi: int) -> str:
    """SHA-256 (hex) of everything the map's files depend on."""
    scenario, network = resolved_scenario(loaded)
    routes = [[f.name, list(loaded.routes[f.name].nodes)] for f in loaded.scenario.demand]
    inputs = [
        network,
        scenario["network"],  # the scenario's changes to the network: built, closed...
        loaded.scenario.name,
        routes,
        list(formats),
        dpi,
        code_digest(),
        version("matplotlib"),  # without importing it: a cached map needs no drawing
    ]
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _whole(path: Path) -> bool:
    """A file that is what it claims to be: a PNG with its start and end, or an SVG
    closed by its last tag."""
    try:
        if not path.is_file() or path.is_symlink():
            return False
        raw = path.read_bytes()
    except OSError:
        return False
    if path.suffix == ".png":
        return raw.startswith(_PNG_START) and raw.endswith(_PNG_END)
    return raw.rstrip().endswith(b"</svg>")


class MapCache:
    """The cached files of one map (``name.<format>`` for each format)."""

    def __init__(self, key: str, name: str, formats: Sequence[str]):
        folder = cache_folder()
        self.folder = None if folder is None else folder / key
        self.name, self.formats = name, tuple(formats)

    def _files(self) -> list[Path]:
        assert self.folder is not None
        return [self.folder / f"{self.name}.{f}" for f in self.formats]

    def hit(self) -> bool:
        """Whether every file is in the cache, whole."""
        return self.folder is not None and all(_whole(p) for p in self._files())

    def copy_to(self, plots: Path) -> tuple[Path, ...] | None:
        """Copy the cached files into ``plots``; None if they are not all there."""
        if not self.hit():
            return None
        plots.mkdir(parents=True, exist_ok=True)
        try:
            return tuple(Path(shutil.copyfile(p, plots / p.name)) for p in self._files())
        except OSError:
            return None

    def keep(self, drawn: Sequence[Path]) -> None:
        """Put freshly drawn files in the cache, each written whole or not at all; a
        cache that cannot be written is left alone."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for src in drawn:
                fd, tmp = tempfile.mkstemp(prefix=".", suffix=".part", dir=self.folder)
                os.close(fd)
                try:
                    shutil.copyfile(src, tmp)
                    os.replace(tmp, self.folder / src.name)
                finally:
                    if os.path.exists(tmp):
                        os.unlink(tmp)
        except OSError:
            return
