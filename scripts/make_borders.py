"""Make ``src/corridorsim/data/borders.json``: country outlines of the corridor's region
for the map, so drawing it needs no download and no mapping toolkit.

Source: Natural Earth 1:110m Admin 0 – Countries (public domain,
https://www.naturalearthdata.com/), as shipped in the ``geopandas`` 0.14 wheel
(``geopandas/datasets/naturalearth_lowres``). Run by hand, with ``pyshp`` installed:

    pip download --no-deps geopandas==0.14.4 && unzip geopandas-0.14.4-*.whl 'geopandas/datasets/*'
    python scripts/make_borders.py geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Each country's polygons are clipped to the region's box (Sutherland–Hodgman against
each side) and coordinates rounded to 0.01° (about 1 km, far below the map's scale).
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import shapefile  # pyshp: only for this script

BOX = (44.0, 18.0, 92.0, 56.0)  # lon min, lat min, lon max, lat max
OUT = Path(__file__).resolve().parent.parent / "src" / "corridorsim" / "data" / "borders.json"

Point = tuple[float, float]


def _clip_side(ring: list[Point], inside, cut) -> list[Point]:
    out: list[Point] = []
    for i, p in enumerate(ring):
        q = ring[i - 1]
        if inside(p):
            if not inside(q):
                out.append(cut(q, p))
            out.append(p)
        elif inside(q):
            out.append(cut(q, p))
    return out


def _at_x(x: float):
    def cut(p: Point, q: Point) -> Point:
        t = (x - p[0]) / (q[0] - p[0])
        return (x, p[1] + t * (q[1] - p[1]))

    return cut


def _at_y(y: float):
    def cut(p: Point, q: Point) -> Point:
        t = (y - p[1]) / (q[1] - p[1])
        return (p[0] + t * (q[0] - p[0]), y)

    return cut


def clip(ring: list[Point]) -> list[Point]:
    x0, y0, x1, y1 = BOX
    for inside, cut in (
        (lambda p: p[0] >= x0, _at_x(x0)),
        (lambda p: p[0] <= x1, _at_x(x1)),
        (lambda p: p[1] >= y0, _at_y(y0)),
        (lambda p: p[1] <= y1, _at_y(y1)),
    ):
        if not ring:
            break
        ring = _clip_side(ring, inside, cut)
    return ring


def main(shp: str) -> None:
    countries = []
    for rec in shapefile.Reader(shp, encoding="latin-1").shapeRecords():
        shape = rec.shape
        parts = [*shape.parts, len(shape.points)]
        rings = []
        for a, b in itertools.pairwise(parts):
            ring = clip([(float(x), float(y)) for x, y in shape.points[a:b]])
            if len(ring) >= 3:
                rings.append([[round(x, 2), round(y, 2)] for x, y in ring])
        if rings:
            name, iso = rec.record["name"], rec.record["iso_a3"]
            countries.append({"name": name, "iso_a3": iso, "rings": rings})
    countries.sort(key=lambda c: c["name"])
    data = {
        "source": "Natural Earth 1:110m Admin 0 – Countries (public domain), clipped to "
        f"lon {BOX[0]:g}–{BOX[2]:g}, lat {BOX[1]:g}–{BOX[3]:g}; made by scripts/make_borders.py",
        "box": list(BOX),
        "countries": countries,
    }
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main(sys.argv[1])
