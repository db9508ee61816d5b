"""Start-up of the command line: seconds spent importing, per command.

    python benchmarks/bench_startup.py [--repeat 5]

Each command runs in a fresh interpreter under ``python -X importtime``; the figure is
the sum of the modules' own import times (best of ``--repeat``), and the heavy libraries
each command imports are listed. ``validate``, ``schema`` and ``network`` should import
neither the engine's libraries (simpy, pandas, scipy, pyarrow) nor matplotlib. The
reference is ``python -c pass`` with the same flag, in the same loop.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("numpy", "pandas", "scipy", "matplotlib", "simpy", "pyarrow", "networkx", "pydantic")
RUN_OUT = Path(tempfile.mkdtemp(prefix="bench-startup-"))
COMMANDS = [
    ("validate default.yaml", ["validate", str(ROOT / "scenarios" / "default.yaml")]),
    ("schema", ["schema"]),
    ("network -k 1", ["network", "-k", "1"]),
    ("run --help", ["run", "--help"]),
    (
        "run (the whole job)",
        ["run", "--replications", "1", "--quiet", "--force", "--out", str(RUN_OUT)],
    ),
]


def imports(args: list[str] | None) -> tuple[float, list[str]]:
    code = (
        "pass"
        if args is None
        else f"import sys; sys.argv = ['corridorsim', *{args!r}]\n"
        "from corridorsim.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=False,
    )
    own = [int(m.group(1)) for m in re.finditer(r"^import time:\s+(\d+) \|", out.stderr, re.M)]
    names = {m.group(1) for m in re.finditer(r"\|\s*([\w.]+)\s*$", out.stderr, re.M)}
    return sum(own) / 1e6, [h for h in HEAVY if h in names]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    base = min(imports(None)[0] for _ in range(args.repeat))
    print(f"python itself: {base:.3f} s of imports")
    for shown, cmd in COMMANDS:
        best, heavy = min(imports(cmd) for _ in range(args.repeat))
        print(
            f"corridorsim {shown:<26} "
            f"{best:.3f} s of imports ({best / base:.0f}x python's); imports {', '.join(heavy)}"
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(RUN_OUT, ignore_errors=True)
