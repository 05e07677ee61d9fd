"""Strokes to polygons, coverage, the incremental API and erasing."""

import math

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, box

from hipmap.core.document import RegionMark, Stroke
from hipmap.core.ids import REGIONS
from hipmap.geometry.atlas import load_atlas
from hipmap.geometry.coverage import Coverage, coverage_of, erase, stroke_polygon
from hipmap.geometry.sampling import fitting_stroke

ATLAS = load_atlas()


def all_regions():
    for view, va in ATLAS.views.items():
        for rid in sorted(va.regions):
            yield view, rid


@pytest.mark.parametrize("view, rid", list(all_regions()))
def test_a_stroke_along_the_middle_of_a_region_is_reported_as_that_region(view, rid):
    geom = ATLAS.view(view).regions[rid].geom
    pts, width = fitting_stroke(geom, 14.0)
    cov = coverage_of([Stroke(view, tuple(pts), width, intensity=6)], ATLAS)
    regions = cov.regions()
    assert set(regions) == {rid}
    assert regions[rid].intensity == 6
    assert 0 < regions[rid].coverage < 1


def test_every_contract_region_is_reachable_by_painting():
    seen = {rid for va in ATLAS.views.values() for rid in va.regions}
    assert seen == set(REGIONS)


def test_stroke_polygon_has_round_caps_and_the_brush_width():
    poly = stroke_polygon([(0, 0), (100, 0)], 20)
    assert poly.bounds == pytest.approx((-10, -10, 110, 10), abs=0.5)
    assert poly.area == pytest.approx(100 * 20 + math.pi * 100, rel=0.02)
    dab = stroke_polygon([(5, 5)], 10)
    assert dab.area == pytest.approx(math.pi * 25, rel=0.03)
    # a repeated point is still a dab, not an error
    assert stroke_polygon([(5, 5), (5, 5)], 10).area == pytest.approx(dab.area)


def test_jittery_self_crossing_scribble_is_guarded_and_still_covers_the_path():
    import numpy as np

    rng = np.random.default_rng(7)
    t = np.linspace(0, 40 * math.pi, 2000)
    pts = np.c_[300 + 60 * np.sin(t) + rng.normal(0, 4, t.size),
                500 + 80 * np.cos(1.3 * t) + rng.normal(0, 4, t.size)]
    poly = stroke_polygon([tuple(p) for p in pts], 12)
    assert poly.is_valid
    assert poly.covers(Point(pts[1000]).buffer(1))
    ref = LineString(pts).buffer(6)
    assert poly.symmetric_difference(ref).area / ref.area < 0.05


def test_coverage_is_painted_area_over_region_area():
    va = ATLAS.view("back")
    area = va.regions["right.posterior_thigh"]
    c = area.geom.representative_point()
    cov = coverage_of([Stroke("back", ((c.x, c.y),), 20)], ATLAS)
    expected = Point(c.x, c.y).buffer(10).intersection(area.geom).area / area.area
    assert cov.regions()["right.posterior_thigh"].coverage == pytest.approx(expected, rel=0.02)


def test_two_overlapping_strokes_do_not_double_count_and_intensity_is_the_highest():
    area = ATLAS.view("front").regions["left.anterior_thigh"]
    c = area.geom.representative_point()
    one = Stroke("front", ((c.x, c.y - 20), (c.x, c.y + 20)), 16, intensity=3)
    two = Stroke("front", ((c.x, c.y - 20), (c.x, c.y + 20)), 16, intensity=8)
    a = coverage_of([one], ATLAS).regions()["left.anterior_thigh"]
    b = coverage_of([one, two], ATLAS).regions()["left.anterior_thigh"]
    assert b.coverage == pytest.approx(a.coverage)
    assert b.intensity == 8


def _stroke_in(view: str, rid: str, width: float, intensity: float) -> Stroke:
    """A stroke along the middle of ``rid`` in ``view``."""
    pts, _w = fitting_stroke(ATLAS.view(view).regions[rid].geom, width)
    return Stroke(view, tuple(pts), width, intensity=intensity)


def test_region_mark_covers_its_region_in_every_view_and_combines_by_max():
    """A region mark counts whatever view a stroke is in: the region's coverage and
    intensity are the largest of the mark's and of any view's strokes."""
    rid = "right.lateral_thigh"
    mark = RegionMark(rid, intensity=4, coverage=0.3)
    alone = coverage_of([mark], ATLAS).regions()[rid]
    assert (alone.coverage, alone.intensity) == (0.3, 4)
    for view in ("front", "back", "right_side"):  # the three views that show it
        thin = _stroke_in(view, rid, 6, intensity=9)
        frac = coverage_of([thin], ATLAS).regions()[rid].coverage
        assert 0 < frac < 0.3
        both = coverage_of([mark, thin], ATLAS).regions()[rid]
        assert both.coverage == 0.3 and both.intensity == 9, view  # the mark's, the stroke's
        wide = _stroke_in(view, rid, 60, intensity=2)
        big = coverage_of([wide], ATLAS).regions()[rid].coverage
        assert big > 0.3
        both = coverage_of([mark, wide], ATLAS).regions()[rid]
        assert both.coverage == pytest.approx(big) and both.intensity == 4, view


@pytest.mark.parametrize("big_view, small_view", [("front", "right_side"),
                                                   ("right_side", "front"),
                                                   ("back", "front")])
def test_an_id_seen_in_several_views_takes_the_largest_coverage_and_intensity(big_view,
                                                                               small_view):
    """The same skin painted in two views: the larger coverage and the higher intensity win,
    whichever view is read first."""
    rid = "right.lateral_thigh"
    big = _stroke_in(big_view, rid, 50, intensity=3)
    small = _stroke_in(small_view, rid, 6, intensity=8)
    alone_big = coverage_of([big], ATLAS).regions()[rid].coverage
    alone_small = coverage_of([small], ATLAS).regions()[rid].coverage
    assert alone_big > 2 * alone_small
    for marks in ([big, small], [small, big]):
        both = coverage_of(marks, ATLAS).regions()[rid]
        assert both.coverage == pytest.approx(alone_big)
        assert both.intensity == 8


def test_removing_a_stroke_keeps_the_highest_intensity_of_those_left():
    area = ATLAS.view("front").regions["left.anterior_thigh"]
    c = area.geom.representative_point()
    cov = Coverage(ATLAS)
    for key, intensity in (("low", 3), ("high", 8), ("mid", 5)):
        cov.add(key, Stroke("front", ((c.x, c.y - 20), (c.x, c.y + 20)), 16,
                            intensity=intensity))
    assert cov.regions()["left.anterior_thigh"].intensity == 8
    cov.remove("mid")
    assert cov.regions()["left.anterior_thigh"].intensity == 8  # not the lowest left (3)
    cov.remove("high")
    assert cov.regions()["left.anterior_thigh"].intensity == 3


def test_laterality_back_view_right_buttock_is_right():
    """Back view: the patient's right is on the viewer's right; front view: on the left."""
    va = ATLAS.view("back")
    right = va.regions["right.buttock"].geom.representative_point()
    left = va.regions["left.buttock"].geom.representative_point()
    assert right.x > va.width / 2 > left.x
    assert va.region_at(right.x, right.y) == "right.buttock"
    assert va.region_at(left.x, left.y) == "left.buttock"
    # the mirror image of the right buttock's point is the left buttock
    assert va.region_at(va.width - right.x, right.y) == "left.buttock"
    front = ATLAS.view("front")
    q = front.regions["right.anterior_thigh"].geom.representative_point()
    assert q.x < front.width / 2
    assert front.region_at(front.width - q.x, q.y) == "left.anterior_thigh"


# ------------------------------------------------------------------ incremental

def _random_stroke(draw, view):
    va = ATLAS.view(view)
    n = draw(st.integers(1, 8))
    x0 = draw(st.floats(0, va.width))
    y0 = draw(st.floats(0, 1000))
    pts = [(x0, y0)]
    for _ in range(n - 1):
        pts.append((pts[-1][0] + draw(st.floats(-60, 60)), pts[-1][1] + draw(st.floats(-60, 60))))
    return Stroke(view, tuple(pts), draw(st.floats(2, 50)), intensity=draw(st.integers(0, 10)))


@st.composite
def edit_scripts(draw):
    ops = []
    live = []
    for i in range(draw(st.integers(1, 14))):
        if live and draw(st.booleans()) and draw(st.booleans()):
            key = draw(st.sampled_from(live))
            live.remove(key)
            ops.append(("remove", key, None))
        else:
            view = draw(st.sampled_from(["front", "back", "right_side", "left_side"]))
            if draw(st.integers(0, 5)) == 0:
                mark = RegionMark(draw(st.sampled_from(REGIONS)), intensity=7)
            else:
                mark = _random_stroke(draw, view)
            ops.append(("add", i, mark))
            live.append(i)
    return ops


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_scripts())
def test_incremental_coverage_equals_a_full_recompute(ops):
    inc = Coverage(ATLAS)
    marks = {}
    reported = set()
    for op, key, mark in ops:
        before = {k: (v.coverage, v.intensity) for k, v in inc.all().items()}
        if op == "add":
            changed = inc.add(key, mark)
            marks[key] = mark
        else:
            changed = inc.remove(key)
            del marks[key]
        after = {k: (v.coverage, v.intensity) for k, v in inc.all().items()}
        # the ids reported as changed include every id whose numbers changed
        moved = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        assert moved <= changed
        reported |= changed
    full = coverage_of(list(marks.values()), ATLAS)
    got = {k: (round(v.coverage, 6), v.intensity) for k, v in inc.all().items()}
    assert set(got) <= reported  # every id with paint was reported when it changed
    want = {k: (round(v.coverage, 6), v.intensity) for k, v in full.all().items()}
    assert got.keys() == want.keys()
    for k in got:
        assert got[k][0] == pytest.approx(want[k][0], abs=1e-6)
        assert got[k][1] == want[k][1]


# ------------------------------------------------------------------ erasing

def test_erasing_the_middle_cuts_a_stroke_in_two_and_leaves_no_paint_under_the_eraser():
    s = Stroke("back", ((100, 500), (300, 500)), 10, intensity=6, quality="burning")
    eraser = box(180, 480, 220, 520)
    pieces = erase(s, eraser)
    assert len(pieces) == 2
    assert all(p.intensity == 6 and p.quality == "burning" and p.width == 10 for p in pieces)
    left = shapely.union_all([stroke_polygon(p.points, p.width) for p in pieces])
    assert left.intersection(eraser).area < 1e-6
    assert left.area > 0.7 * stroke_polygon(s.points, s.width).area


def test_erasing_elsewhere_keeps_the_stroke_and_erasing_all_removes_it():
    s = Stroke("back", ((100, 500), (300, 500)), 10)
    assert erase(s, box(0, 0, 10, 10)) == [s]
    assert erase(s, box(0, 0, 600, 1000)) == []


@pytest.mark.parametrize("n", range(65, 82))  # every length modulo the chunk size
def test_a_long_self_crossing_scribble_paints_every_point_it_passes(n):
    """A scribble above CHUNK_GUARD points is buffered in chunks: every length must work
    and the painted area must still reach every point of the path."""
    star = [(200 + 80 * math.cos(k * 6 * math.pi / 7), 200 + 80 * math.sin(k * 6 * math.pi / 7))
            for k in range(n)]  # a seven-pointed star drawn over and over: self-crossing
    assert not LineString(star).is_simple
    poly = stroke_polygon(star, 6)
    assert all(poly.contains(Point(p)) for p in star)
