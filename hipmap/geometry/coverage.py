"""Strokes to polygons, and how much of each region and dermatome they cover.

Coverage of an area = painted area ∩ area / area, in the view where it was painted; an id
seen in several views (``right.lateral_thigh`` is in front, back and right_side) takes the
largest coverage of its views, since each view shows the same skin from another angle.
A ``region`` mark covers its region by ``coverage`` in every view.

:class:`Coverage` is incremental: adding or removing one stroke touches only the areas the
stroke's bounding box meets (STRtree), and reports which ids changed.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from hipmap.core.document import Document, Mark, RegionMark, Stroke
from hipmap.geometry.atlas import Atlas, load_atlas

#: Above this many points (after simplifying) a self-crossing path is buffered in chunks:
#: GEOS can take 50-150 ms on one jittery scribble, chunks take a few ms (tests/test_geometry.py
#: holds such a scribble).
CHUNK_GUARD = 64
CHUNK = 32
QUAD_SEGS = 6
EPS_AREA = 1e-6


def stroke_polygon(points: Sequence[tuple[float, float]], width: float) -> BaseGeometry:
    """The painted area of a brush path: round caps and joins, ``width`` across."""
    r = width / 2.0
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) > 1:
        keep = np.ones(len(pts), dtype=bool)
        keep[1:] = np.any(np.diff(pts, axis=0) != 0, axis=1)
        pts = pts[keep]
    if len(pts) == 1:
        return Point(pts[0]).buffer(r, quad_segs=QUAD_SEGS)
    line = LineString(pts).simplify(min(max(width * 0.15, 0.25), 4.0), preserve_topology=False)
    coords = np.asarray(line.coords)
    if len(coords) > CHUNK_GUARD and not line.is_simple:
        pieces = [LineString(coords[i:i + CHUNK + 1]) for i in range(0, len(coords) - 1, CHUNK)]
        return shapely.union_all(shapely.buffer(pieces, r, quad_segs=QUAD_SEGS))
    return line.buffer(r, quad_segs=QUAD_SEGS)


@dataclass(frozen=True, slots=True)
class AreaCoverage:
    id: str
    coverage: float
    intensity: float


class Coverage:
    """Incremental painted coverage of every region and dermatome of the atlas."""

    def __init__(self, atlas: Atlas | None = None) -> None:
        self.atlas = atlas or load_atlas()
        self._kinds = {
            aid: a.kind for va in self.atlas.views.values()
            for aid, a in (*va.regions.items(), *va.dermatomes.items())
        }
        self.clear()

    def clear(self) -> None:
        """Forget every mark."""
        self._marks: dict[Hashable, Mark] = {}
        # (view, area id) -> {mark key: (the stroke clipped to the area, its intensity)}
        self._pieces: dict[tuple[str, str], dict[Hashable, tuple[BaseGeometry, float]]] = {}
        self._painted: dict[tuple[str, str], BaseGeometry] = {}
        self._frac: dict[tuple[str, str], float] = {}
        self._top: dict[tuple[str, str], float] = {}  # highest intensity painted in a slot
        self._views: dict[str, set[str]] = {}  # area id -> views where it has paint
        self._region_marks: dict[str, dict[Hashable, RegionMark]] = {}
        self._touches: dict[Hashable, list[tuple[str, str]]] = {}

    # ------------------------------------------------------------------ changes
    def add(self, key: Hashable, mark: Mark) -> set[str]:
        """Add one mark under ``key``; returns the ids whose coverage or intensity changed."""
        if key in self._marks:
            raise KeyError(f"mark key {key!r} already present")
        self._marks[key] = mark
        if isinstance(mark, RegionMark):
            self._touches[key] = []
            self._region_marks.setdefault(mark.region, {})[key] = mark
            return {mark.region}
        view = self.atlas.view(mark.view)
        poly = stroke_polygon(mark.points, mark.width)
        shapely.prepare(poly)
        touched: list[tuple[str, str]] = []
        changed: set[str] = set()
        for area in view.candidates(poly):
            if not poly.intersects(area.geom):
                continue
            piece = poly.intersection(area.geom)
            if piece.area <= EPS_AREA:
                continue
            slot = (view.name, area.id)
            self._pieces.setdefault(slot, {})[key] = (piece, mark.intensity)
            prev = self._painted.get(slot)
            self._painted[slot] = piece if prev is None else prev.union(piece)
            self._frac[slot] = min(1.0, self._painted[slot].area / area.area)
            self._top[slot] = max(self._top.get(slot, 0.0), mark.intensity)
            self._views.setdefault(area.id, set()).add(view.name)
            touched.append(slot)
            changed.add(area.id)
        self._touches[key] = touched
        return changed

    def remove(self, key: Hashable) -> set[str]:
        """Remove the mark added under ``key``; returns the ids that changed."""
        mark = self._marks.pop(key)
        if isinstance(mark, RegionMark):
            self._touches.pop(key, None)
            del self._region_marks[mark.region][key]
            if not self._region_marks[mark.region]:
                del self._region_marks[mark.region]
            return {mark.region}
        changed: set[str] = set()
        for slot in self._touches.pop(key, []):
            pieces = self._pieces[slot]
            del pieces[key]
            changed.add(slot[1])
            if not pieces:
                del self._pieces[slot], self._painted[slot], self._frac[slot], self._top[slot]
                self._views[slot[1]].discard(slot[0])
                if not self._views[slot[1]]:
                    del self._views[slot[1]]
                continue
            self._top[slot] = max(i for _, i in pieces.values())
            painted = shapely.union_all([p for p, _ in pieces.values()])
            self._painted[slot] = painted
            area = self.atlas.view(slot[0]).regions.get(slot[1]) or \
                self.atlas.view(slot[0]).dermatomes[slot[1]]
            self._frac[slot] = min(1.0, painted.area / area.area)
        return changed

    # ------------------------------------------------------------------ readout
    def area(self, area_id: str) -> AreaCoverage | None:
        """Coverage and highest intensity of one region or dermatome id (None: no pain)."""
        cov, intensity, hit = 0.0, 0.0, False
        for view in self._views.get(area_id, ()):
            hit = True
            cov = max(cov, self._frac[(view, area_id)])
            intensity = max(intensity, self._top[(view, area_id)])
        for mark in self._region_marks.get(area_id, {}).values():
            hit = True
            cov = max(cov, mark.coverage)
            intensity = max(intensity, mark.intensity)
        return AreaCoverage(area_id, cov, intensity) if hit else None

    def all(self, kind: str | None = None) -> dict[str, AreaCoverage]:
        """Every painted id (regions and dermatomes, or one ``kind``), sorted by id."""
        out = {}
        for aid in sorted(self._views.keys() | self._region_marks.keys()):
            if kind and self._kinds.get(aid, "region") != kind:
                continue
            ac = self.area(aid)
            if ac is not None:
                out[aid] = ac
        return out

    def regions(self) -> dict[str, AreaCoverage]:
        return self.all("region")

    def dermatomes(self) -> dict[str, AreaCoverage]:
        return self.all("dermatome")

    def __len__(self) -> int:
        return len(self._marks)


def coverage_of(doc: Document | Iterable[Mark], atlas: Atlas | None = None) -> Coverage:
    """Full recompute: a fresh :class:`Coverage` with every mark of the document."""
    cov = Coverage(atlas)
    marks = doc.marks if isinstance(doc, Document) else doc
    for i, mark in enumerate(marks):
        cov.add(i, mark)
    return cov


# ------------------------------------------------------------------ erasing

def erase(stroke: Stroke, eraser: BaseGeometry) -> list[Stroke]:
    """What is left of ``stroke`` after rubbing out ``eraser`` (a polygon in the same view).

    The path is cut where its brush disc would touch the erased area, so no paint is left
    inside it; the pieces become separate strokes (a single point becomes a dab).
    """
    r = stroke.width / 2.0
    if not stroke_polygon(stroke.points, stroke.width).intersects(eraser):
        return [stroke]
    step = max(stroke.width / 4.0, 0.5)
    pts = _densify(np.asarray(stroke.points, dtype=float).reshape(-1, 2), step)
    forbidden = eraser.buffer(r, quad_segs=QUAD_SEGS)
    shapely.prepare(forbidden)
    inside = shapely.contains_xy(forbidden, pts[:, 0], pts[:, 1]) | shapely.intersects_xy(
        forbidden.boundary, pts[:, 0], pts[:, 1])
    out: list[Stroke] = []
    run: list[tuple[float, float]] = []
    for (x, y), gone in zip(pts, inside, strict=True):
        if gone:
            if run:
                out.append(_piece(stroke, run))
                run = []
        else:
            run.append((round(float(x), 2), round(float(y), 2)))
    if run:
        out.append(_piece(stroke, run))
    return out


def _piece(stroke: Stroke, pts: list[tuple[float, float]]) -> Stroke:
    return Stroke(view=stroke.view, points=tuple(pts), width=stroke.width,
                  intensity=stroke.intensity, quality=stroke.quality, extra=stroke.extra,
                  intensity_rated=stroke.intensity_rated)


def _densify(pts: np.ndarray, step: float) -> np.ndarray:
    if len(pts) < 2:
        return pts
    out = [pts[:1]]
    for a, b in itertools.pairwise(pts):
        n = max(1, int(np.ceil(np.hypot(*(b - a)) / step)))
        t = np.linspace(0, 1, n + 1)[1:, None]
        out.append(a + (b - a) * t)
    return np.vstack(out)
