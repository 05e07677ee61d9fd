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

#: Above this many points (after simplifying) a self-crossing path is buffered in short
#: chunks whose buffers are then unioned (cascaded): GEOS takes 14 ms to buffer one jittery
#: 40-point line 200 wide and 139 s for a 20 000-point scribble in one piece; in chunks of
#: eight points, 4 ms and 0.35 s (benchmarks/bench_limits.py).
CHUNK_GUARD = 64
CHUNK = 8
QUAD_SEGS = 6
EPS_AREA = 1e-6
#: What a document's strokes may cost (hipmap limits, README "contract additions"): the
#: points left after smoothing, in all strokes and in self-crossing scribbles (which cost
#: GEOS three times as much per point, and much more when thin). Measured in
#: benchmarks/bench_limits.py: within them, ``assess`` stays under 2 s.
MAX_DETAIL_POINTS = 12_000
MAX_SCRIBBLE_POINTS = 12_000
SCRIBBLE_MIN = 64  # a self-crossing stroke with more points than this is a scribble


def _centre_line(points: Sequence[tuple[float, float]], width: float) -> np.ndarray:
    """The stroke's path without repeated points, simplified within 15 % of the brush width
    (at most 4 units): what is buffered."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) > 1:
        keep = np.ones(len(pts), dtype=bool)
        keep[1:] = np.any(np.diff(pts, axis=0) != 0, axis=1)
        pts = pts[keep]
    if len(pts) < 3:
        return pts
    line = LineString(pts).simplify(min(max(width * 0.15, 0.25), 4.0), preserve_topology=False)
    return np.asarray(line.coords)


def check_budget(marks: Iterable[Mark]) -> None:
    """Refuse (InputError, one line) a drawing whose geometry would take more than a couple
    of seconds: too many points after smoothing, or too many in self-crossing scribbles."""
    from hipmap.core.errors import InputError
    from hipmap.i18n import _

    total = scribble = 0
    for i, mark in enumerate(marks):
        if not isinstance(mark, Stroke):
            continue
        n = len(_centre_line(mark.points, mark.width))
        total += n
        if n > SCRIBBLE_MIN and not LineString(mark.points).is_simple:
            scribble += n
        if scribble > MAX_SCRIBBLE_POINTS:
            raise InputError(
                _("the self-crossing scribbles up to here have more than {limit} points after "
                  "smoothing; paint the area with a wider brush instead").format(
                      limit=MAX_SCRIBBLE_POINTS), path=f"$.marks[{i}]")
        if total > MAX_DETAIL_POINTS:
            raise InputError(
                _("the strokes up to here have more than {limit} points after smoothing; a "
                  "pain drawing needs far fewer").format(limit=MAX_DETAIL_POINTS),
                path=f"$.marks[{i}]")


def stroke_polygon(points: Sequence[tuple[float, float]], width: float) -> BaseGeometry:
    """The painted area of a brush path: round caps and joins, ``width`` across."""
    r = width / 2.0
    coords = _centre_line(points, width)
    if len(coords) == 1:
        return Point(coords[0]).buffer(r, quad_segs=QUAD_SEGS)
    line = LineString(coords)
    if len(coords) > CHUNK_GUARD and not line.is_simple:  # a jittery, self-crossing path
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
    def add_many(self, items: Iterable[tuple[Hashable, Mark]]) -> set[str]:
        """Add many marks at once (loading a document): each slot's painted area is one
        cascaded union of its pieces at the end instead of one union per mark, so a large
        drawing costs O(n log n) geometry, not O(n²)."""
        changed: set[str] = set()
        dirty: set[tuple[str, str]] = set()
        for key, mark in items:
            if key in self._marks:
                raise KeyError(f"mark key {key!r} already present")
            if isinstance(mark, RegionMark):
                changed |= self.add(key, mark)
                continue
            self._marks[key] = mark
            view = self.atlas.view(mark.view)
            poly = stroke_polygon(mark.points, mark.width)
            shapely.prepare(poly)
            cands = view.candidates(poly)
            hits = [a for a, hit in zip(cands, shapely.intersects(poly, [a.geom for a in cands]),
                                        strict=True) if hit]
            touched: list[tuple[str, str]] = []
            if hits:
                pieces = shapely.intersection(poly, [a.geom for a in hits])
                for area, piece in zip(hits, pieces, strict=True):
                    if piece.area <= EPS_AREA:
                        continue
                    slot = (view.name, area.id)
                    self._pieces.setdefault(slot, {})[key] = (piece, mark.intensity)
                    self._top[slot] = max(self._top.get(slot, 0.0), mark.intensity)
                    self._views.setdefault(area.id, set()).add(view.name)
                    touched.append(slot)
                    changed.add(area.id)
            self._touches[key] = touched
            dirty.update(touched)
        for slot in dirty:
            painted = shapely.union_all([p for p, _ in self._pieces[slot].values()])
            self._painted[slot] = painted
            area = self.atlas.view(slot[0]).regions.get(slot[1]) or \
                self.atlas.view(slot[0]).dermatomes[slot[1]]
            self._frac[slot] = min(1.0, painted.area / area.area)
        return changed

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

    def painted_by(self, key: Hashable) -> list[str]:
        """The regions one mark paints, the most painted first (a region mark: its region);
        what names a stroke in words ("Stroke on RIGHT back of the thigh")."""
        mark = self._marks.get(key)
        if isinstance(mark, RegionMark):
            return [mark.region]
        areas = [(slot[1], self._pieces[slot][key][0].area)
                 for slot in self._touches.get(key, ())
                 if self._kinds.get(slot[1], "region") == "region"]
        return [aid for aid, _a in sorted(areas, key=lambda t: -t[1])]

    def marks_painting(self, area_id: str) -> list[Hashable]:
        """The keys of the marks that paint an area (strokes in any view, region marks)."""
        keys = [k for view in self._views.get(area_id, ())
                for k in self._pieces.get((view, area_id), {})]
        keys += list(self._region_marks.get(area_id, {}))
        return list(dict.fromkeys(keys))

    def __len__(self) -> int:
        return len(self._marks)


def coverage_of(doc: Document | Iterable[Mark], atlas: Atlas | None = None) -> Coverage:
    """Full recompute: a fresh :class:`Coverage` with every mark of the document."""
    cov = Coverage(atlas)
    marks = list(doc.marks if isinstance(doc, Document) else doc)
    check_budget(marks)
    cov.add_many(enumerate(marks))
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
