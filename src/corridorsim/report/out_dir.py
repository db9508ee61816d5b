"""Checking an output folder before anything is simulated or written: that it can be
created and written, that it holds nothing it would wrongly replace, and that it is not
the current folder or a folder holding the inputs (which ``--force`` would delete)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from corridorsim.errors import CorridorSimError

__all__ = [
    "OutputError",
    "check_out_dir",
    "check_writable",
    "default_out_dir",
    "guard",
    "refuse_links",
]


class OutputError(CorridorSimError, FileExistsError):
    """The output folder cannot be used (it holds something else, or cannot be written)."""


def default_out_dir(name: str) -> Path:
    """``results/<name>/`` under the current folder."""
    return Path("results") / name


def check_out_dir(
    out: Path,
    name: str,
    *,
    compare: bool = False,
    force: bool = False,
    inputs: Sequence[str | Path] = (),
    marker: str | None = None,
) -> None:
    """Raise :class:`OutputError` now if ``out`` cannot take ``name``'s results, so a
    long run does not end in that error: it would replace the current folder or one
    holding an input file, a file stands where a folder must be, it cannot be written,
    or it holds other results or files (unless ``force``). A folder holding an earlier
    output of ``name`` (recognised by its ``marker`` file, by default ``summary.json``
    or, for a comparison, ``compare.json``) may be replaced."""
    refuse_links(out)
    _not_a_home_of_inputs(out, inputs)
    check_writable(out.resolve().parent, what=str(out))
    marker = marker or ("compare.json" if compare else "summary.json")
    guard(out, marker, name, force)


def refuse_links(out: Path) -> None:
    """Raise :class:`OutputError` if ``out`` is a symbolic link or holds one anywhere:
    nothing is written, replaced or deleted through a link, so nothing outside the
    output folder is touched (a link to a folder elsewhere, given as ``--out`` with
    ``--force``, would otherwise have that folder replaced)."""
    if out.is_symlink():
        raise OutputError(
            f"{out} is a symbolic link (to {os.readlink(out)}); corridorsim does not write "
            "through links: give the folder itself, or a new one"
        )
    if not out.is_dir():
        return
    for root, dirs, files in os.walk(out):  # links to folders are listed, not entered
        for entry in (*dirs, *files):
            path = Path(root) / entry
            if path.is_symlink():
                raise OutputError(
                    f"{path} is a symbolic link; corridorsim does not follow links inside "
                    "an output folder: remove it, or choose another --out"
                )


def _not_a_home_of_inputs(out: Path, inputs: Sequence[str | Path]) -> None:
    target = out.resolve()
    here = Path.cwd().resolve()
    if target == here or target in here.parents:
        raise OutputError(
            f"--out {out} is the current folder or holds it, and the results would replace "
            "it whole; choose a new folder, such as results/NAME"
        )
    for f in inputs:
        path = Path(f).resolve()
        if target in path.parents:
            raise OutputError(
                f"--out {out} holds the input file {f}, and the results would replace it "
                "whole; choose a new folder, such as results/NAME"
            )


def check_writable(folder: Path, *, what: str | None = None) -> None:
    """Raise :class:`OutputError` unless a folder can be made inside ``folder`` (which
    may not exist yet: its nearest existing parent is tried, and nothing is left
    behind)."""
    what = what or str(folder)
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise OutputError(f"cannot write {what}: {probe} is a file, not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".corridorsim-probe.", dir=probe))
    except OSError as exc:
        raise OutputError(f"cannot write {what}: {probe}: {exc.strerror or exc}") from None


def guard(out: Path, marker: str, name: str, force: bool) -> None:
    """Refuse ``out`` when it is a file, or (unless ``force``) holds files other than a
    previous output of ``name`` (recognised by its ``marker`` file), and refuse one that
    is or holds a symbolic link (:func:`refuse_links`)."""
    refuse_links(out)
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; choose another --out")
    if force or not any(out.iterdir()):
        return
    if {p.name for p in out.iterdir()} == {"runs"}:  # an interrupted sweep's finished runs
        return
    path = out / marker
    if path.is_file():
        try:
            found = json.loads(path.read_text(encoding="utf-8")).get("scenario")
        except (OSError, ValueError, AttributeError):
            found = None
        if found == name:
            return
        raise OutputError(
            f"{out} holds the results of {'scenario ' + repr(found) if found else 'another run'}"
            f", not of {name!r}; choose another --out, or --force to replace them"
        )
    raise OutputError(
        f"{out} exists and holds other files; choose another --out, or --force to replace it"
    )
