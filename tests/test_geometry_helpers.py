"""The atlas's small helpers, exactly: the render size, the region under a point, and the
sample strokes that examples, tests and the self-test draw inside a region."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import LineString, MultiPolygon, Point, box

from hipmap.geometry.atlas import (
    RENDER_GAP,
    RENDER_HEADER,
    RENDER_LEGEND,
    load_atlas,
    render_size,
)
from hipmap.geometry.coverage import stroke_polygon
from hipmap.geometry.sampling import fitting_stroke, middle_stroke

ATLAS = load_atlas()


def test_the_render_size_is_the_views_side_by_side_with_gaps_header_and_legend():
    back = ATLAS.view("back")
    assert render_size(["back"]) == (back.width + 2 * RENDER_GAP,
                                     RENDER_HEADER + 1000.0 + RENDER_LEGEND)
    widths = sum(v.width for v in ATLAS.views.values())
    assert render_size() == (widths + 5 * RENDER_GAP, RENDER_HEADER + 1000.0 + RENDER_LEGEND)
    assert render_size(["front", "back"], ATLAS)[0] == (
        ATLAS.view("front").width + back.width + 3 * RENDER_GAP)


def test_region_at_finds_the_region_under_a_point_and_nothing_outside_the_body():
    back = ATLAS.view("back")
    for rid, area in back.regions.items():
        p = area.geom.representative_point()
        assert back.region_at(p.x, p.y) == rid
    assert back.region_at(-50, -50) is None and back.region_at(back.width / 2, 2) is None


def test_every_area_knows_its_id_kind_view_and_size():
    for name, view in ATLAS.views.items():
        for rid, area in {**view.regions, **view.dermatomes}.items():
            assert (area.id, area.view) == (rid, name)
            assert area.kind == ("region" if rid in view.regions else "dermatome")
            assert area.area == pytest.approx(area.geom.area) and area.area > 0


def test_a_middle_stroke_runs_along_the_long_axis_inside_the_region():
    region = box(0, 0, 200, 40)
    pts = middle_stroke(region, 10, step=4)
    line = LineString(pts)
    assert region.buffer(-5).contains(stroke_polygon(pts, 9.9))  # the brush stays inside
    xs = [x for x, _ in pts]
    assert max(xs) - min(xs) > 100 and all(abs(y - 20) < 1 for _, y in pts)  # lengthwise
    assert 25 <= len(pts) <= 45 and math.isclose(line.length, max(xs) - min(xs), rel_tol=1e-6)
    tall = middle_stroke(box(0, 0, 40, 200), 10)
    assert all(abs(x - 20) < 1 for x, _ in tall)
    assert len(middle_stroke(box(0, 0, 200, 40), 10, step=2)) > len(pts)


def test_a_middle_stroke_uses_the_largest_part_and_refuses_a_brush_too_wide():
    parts = MultiPolygon([box(0, 0, 20, 20), box(100, 0, 300, 60)])
    pts = middle_stroke(parts, 10)
    assert all(x > 100 for x, _ in pts)
    with pytest.raises(ValueError, match=r"^brush wider than the region$"):
        middle_stroke(box(0, 0, 10, 10), 12)
    dot = middle_stroke(Point(0, 0).buffer(8), 12)  # the inset is a tiny circle
    assert all(Point(p).distance(Point(0, 0)) < 1.5 for p in dot)


def test_a_fitting_stroke_narrows_the_brush_until_it_fits():
    pts, width = fitting_stroke(box(0, 0, 100, 12), 30)
    assert width == pytest.approx(30 / 1.5 ** 3) and len(pts) >= 2  # 30 -> 20 -> 13.3 -> 8.9
    pts, width = fitting_stroke(box(0, 0, 100, 40), 10)
    assert width == 10
    with pytest.raises(ValueError, match=r"^region too small for any brush$"):
        fitting_stroke(box(0, 0, 1, 1), 10)


def test_pain_rated_zero_is_reported_as_zero_not_raised_to_one():
    from hipmap.core.document import Stroke
    from hipmap.geometry.coverage import Coverage

    region = ATLAS.views["back"].regions["right.buttock"]
    p = region.geom.representative_point()
    cov = Coverage(ATLAS)
    cov.add(1, Stroke("back", ((p.x - 5, p.y), (p.x + 5, p.y)), 10.0, intensity=0.0))
    painted = cov.area("right.buttock")
    assert painted is not None and painted.coverage > 0 and painted.intensity == 0.0


def test_a_middle_stroke_keeps_two_decimals_and_an_unpainted_area_has_no_coverage():
    from hipmap.geometry.coverage import Coverage

    pts = middle_stroke(box(0.333, 0.333, 200.777, 40.777), 10, step=3.3)
    assert all(round(x, 2) == x and round(y, 2) == y for x, y in pts)
    assert any(x != round(x) for x, _ in pts)  # not rounded to whole pixels
    assert Coverage(ATLAS).area("right.groin") is None  # nothing painted: no entry at all
