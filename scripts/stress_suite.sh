#!/usr/bin/env bash
# The test suite under pressure, as on a shared machine: two processes burning CPU beside
# it, and another process holding most of the free memory (all but HEADROOM_GB, default
# 3). Arguments go to pytest. Exit code: pytest's.
#   bash scripts/stress_suite.sh            # the README's test command, under pressure
#   bash scripts/stress_suite.sh -x -q tests/test_hostile.py
set -euo pipefail
cd "$(dirname "$0")/.."
headroom_gb="${HEADROOM_GB:-3}"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

for _ in 1 2; do
    python3 -c 'while True: pass' &
    pids+=($!)
done

ready="$(mktemp)"
python3 - "$headroom_gb" "$ready" <<'PY' &
import sys, time
headroom = float(sys.argv[1]) * 2**30
with open("/proc/meminfo") as f:
    free = next(int(l.split()[1]) * 1024 for l in f if l.startswith("MemAvailable:"))
size = max(int(free - headroom), 0)
held = bytearray(size)
for i in range(0, size, 4096):  # touch every page, so the memory is really taken
    held[i] = 1
print(f"holding {size / 2**30:.1f} GB of {free / 2**30:.1f} GB free", flush=True)
open(sys.argv[2], "w").write("ready")
while True:
    time.sleep(60)
PY
pids+=($!)
until [ -s "$ready" ]; do sleep 1; done
rm -f "$ready"
grep -E "MemAvailable" /proc/meminfo
uptime
pytest "$@"
