"""Region guides (issue 12 §3): every region outlined and named on demand (View menu, G),
the region under the pointer named before painting, and while
painting a live preview of the regions the stroke covers, each with the patient's side."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def mouse(canvas: Any, kind: QEvent.Type, view: str, x: float, y: float,
          held: bool = True) -> None:
    vp = canvas.viewport()
    pos = QPointF(canvas.viewport_point(view, x, y))
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else \
        Qt.MouseButton.NoButton
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    QApplication.sendEvent(vp, QMouseEvent(kind, pos, vp.mapToGlobal(pos), button, buttons,
                                           Qt.KeyboardModifier.NoModifier))


def centre(win: Any, view: str, rid: str) -> tuple[float, float]:
    x, y = win.atlas.view(view).regions[rid].geom.representative_point().coords[0]
    return x, y


def test_the_guides_toggle_from_the_menu_and_key_and_name_the_regions(make_window, qtbot):
    win = make_window((1920, 1080))
    canvas = win.canvas
    canvas.grab()
    assert not canvas.guides_on and canvas.guide_names == []
    win.menu_actions.guides.trigger()
    assert canvas.guides_on and win.menu_actions.guides.isChecked()
    assert all(g.guides.all for g in canvas.groups.values())
    canvas.grab()
    named = set(canvas.guide_names)
    assert {"right.posterior_thigh", "left.posterior_thigh"} <= named
    assert len(named) >= 20  # most regions of the two views fit their name
    win.menu_actions.guides.trigger()
    assert not canvas.guides_on and not win.menu_actions.guides.isChecked()
    canvas.grab()
    assert canvas.guide_names == []
    canvas.setFocus()
    QTest.keyClick(win, Qt.Key.Key_G)  # the shortcut
    assert canvas.guides_on
    win.save_settings()
    again = make_window((1920, 1080), settings_file=win.settings.fileName())
    assert again.canvas.guides_on  # kept for the next start


def test_hovering_names_the_region_with_the_patients_side_and_never_hides_right_left(
        make_window):
    from hipmap.ui.canvas.labels import atlas_label_boxes

    win = make_window((1366, 768))
    canvas = win.canvas
    for rid in ("left.posterior_thigh", "right.lateral_thigh"):
        mouse(canvas, QEvent.Type.MouseMove, "back", *centre(win, "back", rid), held=False)
        assert canvas.hover_region() == rid
        assert canvas.groups["back"].guides.hover == rid
        canvas.grab()
        assert canvas.guide_names == [rid]
        # the hover's box is placed clear of the atlas' RIGHT/LEFT labels
        (box,) = [b for r, b in canvas.guide_boxes if r == rid]
        assert not any(box.intersects(b) for b in atlas_label_boxes(canvas))
    mouse(canvas, QEvent.Type.MouseMove, "back", 5, 5, held=False)  # outside the body
    assert canvas.hover_region() is None
    assert canvas.groups["back"].guides.hover is None


def test_the_live_preview_names_the_regions_under_the_stroke_while_painting(make_window):
    win = make_window((1366, 768))
    canvas = win.canvas
    win.tools.set(tool="brush", width=6.0)
    back = win.atlas.view("back")
    x, y0 = centre(win, "back", "right.posterior_thigh")
    mouse(canvas, QEvent.Type.MouseButtonPress, "back", x, y0)
    assert canvas.live_regions == ["right.posterior_thigh"]
    # down the back of the thigh into the back of the knee
    kx, ky = centre(win, "back", "right.posterior_knee")
    for i in range(1, 31):
        mouse(canvas, QEvent.Type.MouseMove, "back", x + (kx - x) * i / 30,
              y0 + (ky - y0) * i / 30)
    assert canvas.live_regions[:2] == ["right.posterior_thigh", "right.posterior_knee"]
    # every region named is one the stroke's points are really in
    for rid in canvas.live_regions:
        assert rid.startswith("right.") and rid in back.regions
    assert canvas.groups["back"].guides.live == tuple(canvas.live_regions)
    canvas.grab()
    assert canvas.live_list[0] == "This stroke covers:"
    assert "Patient's RIGHT back of the thigh" in canvas.live_list
    assert all(line.startswith("Patient's RIGHT") for line in canvas.live_list[1:])
    mouse(canvas, QEvent.Type.MouseButtonRelease, "back", kx, ky, held=False)
    assert canvas.live_regions == [] and canvas.groups["back"].guides.live == ()
    canvas.grab()
    assert canvas.live_list == []
    # the stroke counted where the preview said
    covered = {r for r, c in win.model.coverage.regions().items() if c.coverage > 0}
    assert {"right.posterior_thigh", "right.posterior_knee"} <= covered


def test_the_live_preview_on_the_left_side_says_left(make_window):
    win = make_window((1366, 768))
    canvas = win.canvas
    x, y = centre(win, "front", "left.anterior_thigh")
    mouse(canvas, QEvent.Type.MouseButtonPress, "front", x, y)
    mouse(canvas, QEvent.Type.MouseMove, "front", x, y + 4)
    canvas.grab()
    assert canvas.live_regions == ["left.anterior_thigh"]
    assert canvas.live_list[1].startswith("Patient's LEFT")
    QTest.keyClick(canvas, Qt.Key.Key_Escape)  # a cancelled stroke clears the preview
    assert canvas.live_regions == []
