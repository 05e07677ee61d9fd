"""Bounded work (issue 9, finding 6): the documents that took minutes and gigabytes are
refused at load with one clear line, and what the limits accept is built with bounded
geometry (chunked buffers, one cascaded union per region). Speed itself is measured by
benchmarks/bench_limits.py, never asserted here."""

from __future__ import annotations

import json
import random

import pytest

from hipmap.cli import main
from hipmap.core import document
from hipmap.core.document import Document, Stroke
from hipmap.core.errors import InputError

BASE = {"format": "hipmap.drawing/1"}


def _stroke(pts, width, view="back"):
    return {"kind": "stroke", "view": view, "width": width, "points": pts}


def wide_5000() -> dict:
    rnd = random.Random(9)
    marks = []
    for _ in range(5000):
        x0, y0 = rnd.uniform(100, 550), rnd.uniform(50, 950)
        marks.append(_stroke([[x0 + rnd.uniform(-60, 60), y0 + rnd.uniform(-60, 60)]
                              for _ in range(40)], 200))
    return {**BASE, "marks": marks}


def random_10x20k() -> dict:
    rnd = random.Random(3)
    return {**BASE, "marks": [_stroke([[rnd.uniform(0, 640), rnd.uniform(0, 1000)]
                                       for _ in range(20_000)], 8) for _ in range(10)]}


def scribble(n=20_000, width=24.0, seed=1) -> list[list[float]]:
    rnd = random.Random(seed)
    pts, x, y = [], 300.0, 500.0
    for _ in range(n):
        x = min(560, max(60, x + rnd.uniform(-9, 9)))
        y = min(950, max(50, y + rnd.uniform(-9, 9)))
        pts.append([x, y])
    return pts


@pytest.mark.parametrize("make", [wide_5000, random_10x20k], ids=["5000x40 w200", "10x20k"])
def test_the_documents_that_took_minutes_are_refused_at_load(make, tmp_path, capsys):
    """Before: assess ran for over 400 s / 22 s and export took over 1.1 GB."""
    f = tmp_path / "big.hipmap.json"
    f.write_text(json.dumps(make()))
    for args in (["assess", str(f)], ["export", str(f), "--fhir"],
                 ["render", str(f), "-o", str(tmp_path / "x.png")]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "paint more than the limit" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.hipmap.json"]


def test_a_real_drawing_is_far_inside_the_ink_limit():
    from hipmap.geometry.atlas import load_atlas

    atlas = load_atlas()
    # every region of every view painted over with a 40-wide brush, twice
    strokes = []
    for va in atlas.views.values():
        for a in va.regions.values():
            minx, miny, maxx, maxy = a.geom.bounds
            y = miny
            while y <= maxy:
                strokes.append(Stroke(va.name, ((minx, y), (maxx, y)), 40.0))
                y += 20
    ink = sum(document.stroke_ink(s) for s in strokes)
    assert ink < document.MAX_INK / 2


def test_a_20k_point_scribble_is_accepted_and_buffered_in_chunks():
    from hipmap.geometry.coverage import coverage_of, stroke_polygon

    pts = scribble()
    doc = document.loads(json.dumps({**BASE, "marks": [_stroke(pts, 24)]}))
    poly = stroke_polygon(doc.marks[0].points, 24)
    assert poly.is_valid and poly.area > 0
    cov = coverage_of(doc)
    assert cov.regions()  # assessed, not refused


def test_too_many_scribbles_or_too_much_detail_is_one_clear_line(tmp_path, capsys):
    two = {**BASE, "marks": [_stroke(scribble(seed=1), 24),
                             _stroke(scribble(n=3000, seed=2), 24)]}
    f = tmp_path / "two.hipmap.json"
    f.write_text(json.dumps(two))
    assert main(["assess", str(f)]) == 2
    err = capsys.readouterr().err
    assert "self-crossing scribbles" in err and "$.marks[1]" in err
    # many plain strokes: the smoothing keeps their detail, the budget caps it
    rnd = random.Random(2)
    many = []
    for _ in range(1800):
        x, y = rnd.uniform(150, 450), rnd.uniform(100, 900)
        many.append(_stroke([[x + 3 * k + rnd.uniform(-1, 1), y + 9 * ((k % 4) // 2)]
                             for k in range(12)], 6))
    g = tmp_path / "many.hipmap.json"
    g.write_text(json.dumps({**BASE, "marks": many}))
    assert main(["assess", str(g)]) == 2
    assert "points after smoothing" in capsys.readouterr().err


def test_the_app_refuses_to_open_a_too_costly_drawing_and_keeps_its_own():
    from hipmap.model.drawing import DrawingModel

    model = DrawingModel()
    x, y = model.coverage.atlas.view("back").regions["right.buttock"].geom \
        .representative_point().coords[0]
    model.add_marks([Stroke("back", ((x, y - 10), (x, y + 10)), 20.0)])
    two = document.loads(json.dumps(
        {**BASE, "marks": [_stroke(scribble(seed=1), 24), _stroke(scribble(seed=2), 24)]}))
    with pytest.raises(InputError, match="after smoothing"):
        model.load(two)
    assert len(model.marks) == 1 and model.coverage.regions()


def test_loading_many_marks_at_once_equals_adding_them_one_by_one():
    from hipmap.geometry.atlas import load_atlas
    from hipmap.geometry.coverage import Coverage

    atlas = load_atlas()
    rnd = random.Random(4)
    marks = []
    for _ in range(60):
        view = rnd.choice(["front", "back"])
        x, y = rnd.uniform(100, 500), rnd.uniform(100, 900)
        marks.append(Stroke(view, tuple((x + rnd.uniform(-30, 30), y + 5 * k)
                                        for k in range(10)), rnd.choice([8.0, 30.0]),
                            intensity=rnd.randint(1, 10)))
    one = Coverage(atlas)
    for i, m in enumerate(marks):
        one.add(i, m)
    many = Coverage(atlas)
    many.add_many(enumerate(marks))
    a, b = one.all(), many.all()
    assert a.keys() == b.keys()
    for k in a:
        assert a[k].coverage == pytest.approx(b[k].coverage, abs=1e-9)
        assert a[k].intensity == b[k].intensity
    for i in range(0, 60, 3):  # and removing from a bulk-loaded coverage works
        one.remove(i)
        many.remove(i)
    assert {k: round(v.coverage, 9) for k, v in one.all().items()} == \
        {k: round(v.coverage, 9) for k, v in many.all().items()}


def test_render_scale_8_is_refused_with_a_usable_suggestion(tmp_path, capsys):
    """Before: 7 s and 712 MB."""
    from pathlib import Path

    ex = Path(__file__).resolve().parent.parent / "examples" / "sciatica.hipmap.json"
    assert main(["render", str(ex), "-o", str(tmp_path / "x.png"), "--scale", "8"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "megapixels" in err and "--scale 2.1" in err
    assert not list(tmp_path.iterdir())


@pytest.mark.gui  # it paints with Qt
def test_a_long_stroke_is_drawn_from_its_coverage_polygon():
    from PySide6.QtCore import QPointF

    from hipmap.geometry.coverage import stroke_polygon
    from hipmap.ui.diagram import STROKER_MAX_POINTS, stroke_path
    from hipmap.ui.render import ensure_gui_app

    ensure_gui_app()
    pts = [tuple(p) for p in scribble(n=STROKER_MAX_POINTS * 3)]
    path = stroke_path(pts, 24)
    poly = stroke_polygon(pts, 24)
    inside = poly.representative_point()
    assert path.contains(QPointF(inside.x, inside.y))
    assert abs(path.boundingRect().width() - (poly.bounds[2] - poly.bounds[0])) < 1.0


def test_document_without_strokes_has_no_ink():
    assert sum(document.stroke_ink(m) for m in Document().marks) == 0
