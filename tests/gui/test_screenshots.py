"""The window rendered to PNG in typical states, kept in tests/screenshots/ to look at.

Each test also checks what a clinician must see in that picture (the banner's red, the
territory's blue, the patient's RIGHT/LEFT labels on screen).
"""

from __future__ import annotations

import pytest
from guihelpers import drag, paint_sciatica, save_screenshot, vertical_line
from PySide6.QtGui import QColor, QImage

SIZES = [(1366, 768), (1920, 1080)]  # a laptop and a desktop screen


def _radicular(win) -> None:
    """Sciatica-like: buttock, back of the thigh, outer calf, on the patient's right."""
    lx, ly = paint_sciatica(win)
    win.tools.set(intensity=5, quality="tingling", width=16.0)
    drag(win.canvas, "back", vertical_line(lx, ly - 40, ly + 60))
    win.editor.set_answer("leg_pain_worse_than_back", True)
    win.editor.set_answer("worse_cough_sneeze", True)


def _count(img: QImage, color: QColor, tol: int = 40, step: int = 4) -> int:
    n = 0
    for y in range(0, img.height(), step):
        for x in range(0, img.width(), step):
            c = img.pixelColor(x, y)
            if abs(c.red() - color.red()) + abs(c.green() - color.green()) + \
                    abs(c.blue() - color.blue()) < tol:
                n += 1
    return n


def _labels_on_screen(win) -> None:
    c = win.canvas
    vp = c.viewport().rect()
    for name in c.visible_views():
        for lab in win.atlas.view(name).labels:
            if lab["text"] in ("RIGHT", "LEFT"):
                assert vp.contains(c.viewport_point(name, float(lab["x"]), float(lab["y"])))


@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "1920x1080"])
def test_screenshot_empty(make_window, size):
    win = make_window(size=size)
    _labels_on_screen(win)
    path = save_screenshot(win, f"empty_{size[0]}")
    assert QImage(str(path)).size().toTuple() == size


@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "1920x1080"])
def test_screenshot_radicular_pattern(make_window, size):
    win = make_window(size=size)
    _radicular(win)
    a = win.model.assessment()
    assert a.ranking[0].cause == "lumbar_radiculopathy"
    _labels_on_screen(win)
    img = QImage(str(save_screenshot(win, f"radicular_{size[0]}")))
    assert _count(img, QColor("#1d3557")) > 30  # the painted regions are outlined
    if win.canvas.transform().m11() >= 0.55:  # large enough: named on the diagram too
        assert "right.posterior_thigh" in win.canvas.names_drawn
    else:  # too small to name without hiding the drawing: the region list names them
        assert win.canvas.names_drawn == []


@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "1920x1080"])
def test_screenshot_red_flag(make_window, size):
    win = make_window(size=size)
    _radicular(win)
    win.editor.set_answer("saddle_numbness", True)
    img = QImage(str(save_screenshot(win, f"red_flag_{size[0]}")))
    top = img.copy(0, 0, img.width(), 80)
    assert _count(top, QColor("#b00020"), step=3) > 1000  # the banner spans the top


@pytest.mark.parametrize("size", SIZES, ids=["1366x768", "1920x1080"])
def test_screenshot_selected_cause_territory(make_window, size):
    win = make_window(size=size)
    _radicular(win)
    win.assessment_panel.select("lumbar_radiculopathy")
    win.canvas.viewport().repaint()
    img = QImage(str(save_screenshot(win, f"territory_{size[0]}")))
    canvas_rect = win.canvas.geometry()
    canvas_rect.moveTopLeft(win.canvas.mapTo(win, canvas_rect.topLeft() * 0))
    sub = img.copy(canvas_rect)
    blue = _count(sub, QColor(0x8a, 0xa4, 0xc4), tol=60)
    assert blue > 200  # the referral territory is drawn over the diagram


def test_screenshot_zoomed_keeps_sides_visible(make_window):
    """Zoomed in on the back of the right knee, the atlas' RIGHT/LEFT go off screen: the
    canvas pins the patient's RIGHT and LEFT itself, inside the view, each on its own side
    (the back view: the patient's right is the viewer's right), and they are drawn."""
    from PySide6.QtCore import QPointF

    win = make_window()
    _radicular(win)
    canvas = win.canvas
    va = win.atlas.view("back")
    x, y = va.regions["right.posterior_knee"].geom.representative_point().coords[0]
    canvas.zoom_by(4.0)
    canvas.centerOn(canvas.groups["back"].mapToScene(QPointF(x, y)))
    img = QImage(str(save_screenshot(win, "zoomed_1280")))
    vp = canvas.viewport().rect()
    labels = [lab for lab in va.labels if lab["text"] in ("RIGHT", "LEFT")]
    assert not all(vp.contains(canvas.viewport_point("back", float(lab["x"]),
                                                     float(lab["y"]))) for lab in labels)
    pins = {text: box for text, box in canvas.pinned}
    assert {"patient's RIGHT", "patient's LEFT"} <= set(pins)
    right, left = pins["patient's RIGHT"], pins["patient's LEFT"]
    for box in (right, left):
        assert vp.contains(box.toRect())
    assert left.right() < vp.center().x() < right.left()  # back view: not mirrored
    # and they are on the picture: dark boxes with the words in white
    origin = canvas.viewport().mapTo(win, canvas.viewport().rect().topLeft())
    for box in (right, left):
        sub = img.copy(box.toRect().translated(origin))
        # navy at 88 % over the diagram
        assert _count(sub, QColor("#1d3557"), tol=90, step=1) > 0.4 * sub.width() * sub.height()
        assert _count(sub, QColor("#ffffff"), tol=90, step=1) > 20
