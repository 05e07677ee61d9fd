"""Strokes drawn inside atlas regions — for examples, tests, benchmarks and the self-test."""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry


def middle_stroke(region: BaseGeometry, width: float, *, step: float = 4.0
                  ) -> list[tuple[float, float]]:
    """Points of a brush path along the middle of ``region``, staying fully inside it.

    The path runs through the region's representative point along its long axis, inset by
    half the brush width so the painted band never leaves the region.
    """
    poly = max(getattr(region, "geoms", [region]), key=lambda g: g.area)
    inset = poly.buffer(-(width / 2.0 + 0.5))
    if inset.is_empty:
        raise ValueError("brush wider than the region")
    inset = max(getattr(inset, "geoms", [inset]), key=lambda g: g.area)
    centre = inset.representative_point()
    rect = np.asarray(shapely.minimum_rotated_rectangle(inset).exterior.coords)[:4]
    edges = [rect[1] - rect[0], rect[2] - rect[1]]
    axis = max(edges, key=lambda e: float(np.hypot(*e)))
    axis = axis / float(np.hypot(*axis))
    reach = 2000.0
    line = LineString([(centre.x - axis[0] * reach, centre.y - axis[1] * reach),
                       (centre.x + axis[0] * reach, centre.y + axis[1] * reach)])
    inside = line.intersection(inset)
    parts = [g for g in getattr(inside, "geoms", [inside]) if g.geom_type == "LineString"]
    if not parts:
        return [(round(centre.x, 2), round(centre.y, 2))]
    seg = min(parts, key=lambda g: g.distance(Point(centre.x, centre.y)))
    seg = shapely.line_interpolate_point(
        seg, np.linspace(0.1, 0.9, max(2, math.ceil(seg.length * 0.8 / step))), normalized=True)
    return [(round(float(p.x), 2), round(float(p.y), 2)) for p in seg]


def fitting_stroke(region: BaseGeometry, width: float, *, shrink: float = 1.5
                   ) -> tuple[list[tuple[float, float]], float]:
    """Like :func:`middle_stroke`, narrowing the brush until it fits inside the region."""
    while width > 0.5:
        try:
            return middle_stroke(region, width), width
        except ValueError:
            width /= shrink
    raise ValueError("region too small for any brush")
