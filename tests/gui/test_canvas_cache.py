"""The canvas' cached marks layer (issue 13): a frame copies an image of the finished marks,
kept up to date piece by piece. These tests render the real canvas at 1x and 2x device pixel
ratio and compare, pixel by pixel, the cached rendering with the uncached one (every mark
painted on every frame, as before the cache) after each kind of change — so a stale cache
(ink left after an undo or an erase, a stroke missing after a redo, an old zoom) shows up.

Tolerance: 2 of 255 per channel for marks without a quality pattern: the semi-transparent marks
are blended into a transparent layer first and the layer onto the body, which rounds at most
2 levels differently from blending each mark onto the body (Qt's own item cache, used before,
did the same); no more, so a missing or stale stroke (a difference of 40+ levels) fails. Quality
patterns (hatching) are laid from the cache image's corner, as Qt's own item cache laid
them before this one, so against the uncached rendering they may differ in phase; for them the
piecewise-updated image is compared with an image rebuilt from scratch, with tolerance 0.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from hipmap.core.document import Stroke

TOLERANCE = 2  # per channel, 0..255


@pytest.fixture
def canvas(qtbot: Any) -> Any:
    from hipmap.model.drawing import DrawingModel
    from hipmap.ui.canvas import BodyCanvas
    from hipmap.ui.commands import Editor
    from hipmap.ui.tools import ToolState

    editor = Editor(DrawingModel())
    c = BodyCanvas(editor, ToolState())
    qtbot.addWidget(c)
    c.resize(900, 640)
    c.show()
    qtbot.waitExposed(c)
    return c


def strokes(n: int, *, patterns: bool, seed: int = 3) -> list[Stroke]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        view = ("front", "back")[i % 2]
        x, y = rnd.uniform(150, 330), rnd.uniform(200, 800)
        pts = tuple((round(x + j * rnd.uniform(-1, 1), 1), round(y + j * 3.0, 1))
                    for j in range(rnd.randint(8, 30)))
        quality = rnd.choice([None, "shooting", "burning", "tingling"]) if patterns else None
        out.append(Stroke(view, pts, rnd.choice([8.0, 14.0, 24.0]), rnd.randint(1, 10),
                          quality))
    return out


def render(canvas: Any, dpr: float, *, cached: bool = True) -> np.ndarray:
    """The canvas' viewport rendered into an image at ``dpr`` device pixels per pixel."""
    layers = [g.marks for g in canvas.groups.values()]
    for layer in layers:
        layer.cached = cached
    vp = canvas.viewport()
    img = QImage(round(vp.width() * dpr), round(vp.height() * dpr),
                 QImage.Format.Format_ARGB32)
    img.setDevicePixelRatio(dpr)
    img.fill(Qt.GlobalColor.white)
    p = QPainter(img)
    canvas.render(p, QRectF(0, 0, vp.width(), vp.height()), vp.rect())
    p.end()
    for layer in layers:
        layer.cached = True
    a = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes())
    return a.reshape(img.height(), img.bytesPerLine() // 4, 4)[:, :img.width()].astype(int)


def stats(canvas: Any) -> dict[str, int]:
    out = {"rebuilds": 0, "appended": 0, "repainted": 0, "previews": 0, "restored": 0}
    for g in canvas.groups.values():
        for k, v in g.marks.stats.items():
            out[k] += v
    return out


def assert_same(a: np.ndarray, b: np.ndarray, what: str, tolerance: int = TOLERANCE) -> None:
    diff = np.abs(a - b)
    assert diff.max() <= tolerance, (
        f"{what}: {(diff.max(axis=2) > tolerance).sum()} pixels differ (max {diff.max()})")


def push(canvas: Any, marks: list[Stroke]) -> None:
    from hipmap.model.edits import AddMarks

    for s in marks:
        canvas.editor.push(AddMarks("Stroke", [s]))


@pytest.mark.parametrize("dpr", [1.0, 2.0])
def test_cached_and_uncached_renders_are_identical_after_every_kind_of_change(canvas, dpr):
    push(canvas, strokes(60, patterns=False))
    render(canvas, dpr)  # the cache is built at this scale
    base = stats(canvas)

    def check(what: str) -> None:
        assert_same(render(canvas, dpr), render(canvas, dpr, cached=False), what)

    check("painted")
    push(canvas, strokes(3, patterns=False, seed=11))  # painted on top of the image
    check("stroke added")
    after_add = stats(canvas)
    assert after_add["appended"] > base["appended"]
    assert after_add["rebuilds"] == base["rebuilds"], "a new stroke must not rebuild the cache"
    canvas.editor.stack.undo()  # the top stroke: the pixels under it are put back
    check("undo")
    assert stats(canvas)["restored"] > after_add["restored"]
    assert stats(canvas)["repainted"] == after_add["repainted"]
    assert stats(canvas)["rebuilds"] == base["rebuilds"]
    canvas.editor.stack.undo()
    canvas.editor.stack.undo()
    check("three undone")
    canvas.editor.stack.redo()
    check("redo on top")
    from hipmap.model.edits import RemoveMarks

    canvas.editor.push(RemoveMarks("Remove", ids=[min(canvas.editor.model.marks)]))
    check("an old mark removed")  # under others: its rectangle is repainted
    assert stats(canvas)["repainted"] > after_add["repainted"]
    canvas.editor.stack.undo()
    check("brought back")
    canvas.editor.stack.undo()
    canvas.editor.stack.redo()
    check("redo")
    assert canvas.erase("back", [(200.0, 300.0), (260.0, 420.0), (300.0, 700.0)], 30.0)
    check("erase")
    canvas.editor.stack.undo()
    check("erase undone")
    canvas.set_dermatomes(True)
    canvas.set_territory({"right.posterior_thigh": 1.0, "left.lateral_thigh": 0.5})
    check("overlays on")
    canvas.set_dermatomes(False)
    canvas.set_territory({})
    check("overlays off")
    canvas.zoom_by(1.6)
    check("zoomed in")
    assert stats(canvas)["rebuilds"] > base["rebuilds"], "a new scale rebuilds the cache"
    canvas.pan_by(37, 21)
    check("panned")
    canvas.zoom_by(0.5)
    check("zoomed out")
    canvas.fit()
    canvas.editor.stack.undo()
    check("undo after zoom")


@pytest.mark.parametrize("dpr", [1.0, 2.0])
def test_piecewise_updates_match_a_fresh_cache_with_quality_patterns(canvas, dpr):
    push(canvas, strokes(50, patterns=True))
    render(canvas, dpr)
    push(canvas, strokes(4, patterns=True, seed=5))
    render(canvas, dpr)  # painted over the image
    for _ in range(3):
        canvas.editor.stack.undo()
    canvas.editor.stack.redo()
    render(canvas, dpr)  # rectangles repainted
    assert canvas.erase("front", [(180.0, 300.0), (240.0, 600.0)], 26.0)
    piecewise = render(canvas, dpr)
    assert stats(canvas)["appended"] and stats(canvas)["repainted"]
    assert stats(canvas)["rebuilds"] == 2  # front and back, once
    for g in canvas.groups.values():
        g.marks.invalidate()
    assert_same(piecewise, render(canvas, dpr), "piecewise vs rebuilt", tolerance=0)


def test_an_undone_stroke_leaves_no_ink_and_a_cleared_drawing_drops_the_cache(canvas):
    from hipmap.core.document import Document

    blank = render(canvas, 1.0)
    lone = Stroke("back", tuple((250.0, 300.0 + 4 * j) for j in range(40)), 24.0, 9)
    push(canvas, [lone])
    painted = render(canvas, 1.0)
    assert (np.abs(painted - blank).max(axis=2) > 0).sum() > 500  # the stroke is drawn
    canvas.editor.stack.undo()
    assert_same(render(canvas, 1.0), blank, "after the undo", tolerance=0)
    push(canvas, strokes(10, patterns=True))
    render(canvas, 1.0)
    layer = canvas.groups["back"].marks
    assert layer._image is not None and layer.rects
    canvas.editor.model.load(Document())  # a new drawing: nothing of the old one is kept
    assert not layer.paths and not layer.rects and layer._image is None
    assert_same(render(canvas, 1.0), blank, "new drawing", tolerance=0)


def test_a_stroke_on_one_view_leaves_the_other_views_cache_alone(canvas):
    push(canvas, strokes(20, patterns=False))
    render(canvas, 1.0)
    front = canvas.groups["front"].marks
    before = dict(front.stats)
    push(canvas, [dataclasses.replace(strokes(1, patterns=False, seed=9)[0], view="back")])
    render(canvas, 1.0)
    assert front.stats == before


def test_a_mark_brought_back_by_undo_goes_back_under_the_later_ones(canvas):
    """Drawing order is kept: a stroke restored by undoing its removal is painted under the
    strokes drawn after it, not on top (the cache repaints its rectangle in order)."""
    from hipmap.model.edits import RemoveMarks

    under = Stroke("back", tuple((250.0, 300.0 + 4 * j) for j in range(40)), 30.0, 1)
    over = Stroke("back", tuple((240.0 + 2 * j, 380.0) for j in range(20)), 30.0, 10)
    push(canvas, [under, over])
    before = render(canvas, 1.0)
    (first,) = [mid for mid, m in canvas.editor.model.marks.items() if m == under]
    canvas.editor.push(RemoveMarks("Remove", ids=[first]))
    render(canvas, 1.0)
    canvas.editor.stack.undo()
    assert_same(render(canvas, 1.0), render(canvas, 1.0, cached=False), "restored")
    assert_same(render(canvas, 1.0), before, "as before the removal", tolerance=0)


@pytest.mark.parametrize("dpr", [1.0, 2.0])
def test_a_zoom_on_a_large_drawing_shows_a_preview_then_the_exact_image(canvas, qtbot, dpr,
                                                                       monkeypatch):
    from hipmap.ui.canvas.items import MarksLayer

    monkeypatch.setattr(MarksLayer, "PROGRESSIVE_MIN_MARKS", 20)
    monkeypatch.setattr(MarksLayer, "BUILD_SLICE", 7)
    for bar in (canvas.setHorizontalScrollBarPolicy, canvas.setVerticalScrollBarPolicy):
        bar(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # the viewport keeps its size when zooming
    push(canvas, strokes(60, patterns=False))
    render(canvas, dpr)
    layers = [g.marks for g in canvas.groups.values()]
    canvas.zoom_by(1.5)
    preview = render(canvas, dpr)  # the old image, scaled: at once, close but not exact
    assert any(layer.building() for layer in layers)
    assert sum(layer.stats["previews"] for layer in layers) >= 1
    exact = render(canvas, dpr, cached=False)
    assert (np.abs(preview - exact).max(axis=2) > 40).sum() < 0.05 * preview[..., 0].size
    qtbot.waitUntil(lambda: not any(layer.building() for layer in layers), timeout=10_000)
    assert_same(render(canvas, dpr), exact, "after the slices")
    # a stroke ended while the exact image is being painted: never a stale frame
    canvas.zoom_by(0.8)
    render(canvas, dpr)
    assert any(layer.building() for layer in layers)
    push(canvas, strokes(2, patterns=False, seed=21))  # one on the front, one on the back
    assert not any(layer.building() for layer in layers)
    assert_same(render(canvas, dpr), render(canvas, dpr, cached=False), "stroke during build")


def test_undone_marks_leave_nothing_behind_in_the_layers(canvas):
    """Memory over a long day: the layers hold exactly the marks on the drawing — no path,
    rectangle or pending repaint of an undone stroke stays behind (benchmarks/bench_memory.py
    measures the resident memory)."""
    push(canvas, strokes(40, patterns=True))
    render(canvas, 1.0)
    stack = canvas.editor.stack
    for _round in range(3):
        for _ in range(40):
            stack.undo()
        render(canvas, 1.0)
        for g in canvas.groups.values():
            assert not g.marks.paths and not g.marks.rects
            assert not g.marks._dirty and not g.marks._appended
        for _ in range(40):
            stack.redo()
        render(canvas, 1.0)
    ids = set(canvas.editor.model.marks)
    held = set().union(*(set(g.marks.paths) for g in canvas.groups.values()))
    assert held == ids
    assert set().union(*(set(g.marks.rects) for g in canvas.groups.values())) == ids
