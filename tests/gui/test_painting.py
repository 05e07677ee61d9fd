"""Painting through the real canvas: strokes, eraser, tap, undo/redo, zoom, touch."""

from __future__ import annotations

import pytest
from guihelpers import drag, vertical_line
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtTest import QTest

from hipmap.core.document import RegionMark, Stroke

# A region per view that the stroke should land in, and where the mode shows that view.
VIEW_CASES = [
    ("front", "front_back", "right.anterior_thigh"),
    ("back", "front_back", "right.posterior_thigh"),
    ("right_side", "sides", "right.lateral_thigh"),
    ("left_side", "sides", "left.lateral_thigh"),
]


def _centre(win, view: str, rid: str) -> tuple[float, float]:
    pt = win.atlas.view(view).regions[rid].geom.representative_point()
    return pt.x, pt.y


@pytest.mark.parametrize(("view", "mode", "rid"), VIEW_CASES)
def test_drag_painting_updates_model_region_list_and_ranking(make_window, view, mode, rid):
    win = make_window()
    win.canvas.set_mode(mode)
    before = win.model.assessment().ranking
    x, y = _centre(win, view, rid)
    drag(win.canvas, view, vertical_line(x, y - 30, y + 30))

    strokes = [m for m in win.model.marks.values() if isinstance(m, Stroke)]
    assert len(strokes) == 1 and strokes[0].view == view
    assert strokes[0].intensity == win.tools.intensity
    assert abs(strokes[0].points[0][0] - x) < 2 and abs(strokes[0].points[0][1] - (y - 30)) < 2
    a = win.model.assessment()
    assert rid in [r.id for r in a.regions]
    # the region list shows it as painted, with its coverage and intensity
    item = win.region_list.items[rid]
    assert item.checkState(0) == Qt.CheckState.PartiallyChecked
    assert "%" in item.text(1)
    # the ranking panel shows the new ranking, best first
    from hipmap.ui.assessment import chart_rows

    assert win.assessment_panel.chart.order == [r.cause for r in chart_rows(a.ranking)]
    assert a.ranking != before
    assert win.isWindowModified()


def test_patients_right_is_viewers_right_on_the_back_view(make_window):
    win = make_window()
    va = win.atlas.view("back")
    # viewer's right half of the back view, thigh height
    drag(win.canvas, "back", vertical_line(va.width * 0.64, 560, 620))
    ids = [r.id for r in win.model.assessment().regions]
    assert ids and all(i.startswith("right.") for i in ids)


def test_eraser_cuts_a_stroke_and_undo_restores_it(make_window):
    win = make_window()
    x, y = _centre(win, "back", "right.posterior_thigh")
    drag(win.canvas, "back", vertical_line(x, y - 60, y + 60))
    original = next(iter(win.model.marks.values()))
    cov_before = win.model.coverage.area("right.posterior_thigh").coverage

    win.tools.set(tool="eraser", width=20.0)
    drag(win.canvas, "back", [(x - 40, y), (x, y), (x + 40, y)])
    pieces = list(win.model.marks.values())
    assert len(pieces) == 2 and original not in pieces
    assert win.model.coverage.area("right.posterior_thigh").coverage < cov_before
    assert win.menu_actions.undo.text() == "Undo Erase"

    win.menu_actions.undo.trigger()
    assert list(win.model.marks.values()) == [original]


def test_eraser_on_empty_canvas_changes_nothing(make_window):
    win = make_window()
    win.tools.set(tool="eraser")
    drag(win.canvas, "front", vertical_line(200, 400, 500))
    assert not win.model.marks
    assert win.stack.count() == 0


def test_tap_fills_and_empties_a_whole_region(make_window):
    win = make_window()
    win.tools.set(tool="tap", intensity=8, quality="burning")
    x, y = _centre(win, "front", "right.lateral_thigh")
    pt = win.canvas.viewport_point("front", x, y)
    QTest.mouseClick(win.canvas.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, pt)
    marks = list(win.model.marks.values())
    assert marks == [RegionMark(region="right.lateral_thigh", intensity=8, quality="burning")]
    assert win.region_list.items["right.lateral_thigh"].checkState(0) == Qt.CheckState.Checked
    region = next(r for r in win.model.assessment().regions if r.id == "right.lateral_thigh")
    assert region.coverage == 1 and region.intensity == 8

    QTest.mouseClick(win.canvas.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, pt)
    assert not win.model.marks


def test_undo_redo_one_stroke_per_step_with_keyboard_shortcuts(make_window):
    win = make_window()
    x, y = _centre(win, "back", "right.posterior_thigh")
    drag(win.canvas, "back", vertical_line(x, y - 30, y + 30))
    drag(win.canvas, "back", vertical_line(x + 15, y - 30, y + 30))
    assert len(win.model.marks) == 2
    assert win.menu_actions.undo.text() == "Undo Stroke on RIGHT back of the thigh"

    win.canvas.setFocus()
    QTest.keyClick(win.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(win.model.marks) == 1
    assert win.menu_actions.redo.text() == "Redo Stroke on RIGHT back of the thigh"
    QTest.keyClick(win.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not win.model.marks and not win.isWindowModified()
    QTest.keyClick(win.canvas, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(win.model.marks) == 1
    assert "right.posterior_thigh" in [r.id for r in win.model.assessment().regions]


def test_clear_view_and_clear_all_are_undoable(make_window):
    win = make_window()
    x, y = _centre(win, "back", "right.posterior_thigh")
    drag(win.canvas, "back", vertical_line(x, y - 30, y + 30))
    fx, fy = _centre(win, "front", "left.anterior_thigh")
    drag(win.canvas, "front", vertical_line(fx, fy - 30, fy + 30))
    assert win.canvas.active_view == "front"
    win.clear_view()
    assert [m.view for m in win.model.marks.values()] == ["back"]
    win.clear_all()
    assert not win.model.marks
    win.menu_actions.undo.trigger()
    win.menu_actions.undo.trigger()
    assert len(win.model.marks) == 2


def test_zoom_keys_wheel_and_fit(make_window):
    win = make_window()
    c = win.canvas
    c.setFocus()
    QTest.keyClick(c, Qt.Key.Key_Plus)
    assert c.zoom_factor() == pytest.approx(1.25, rel=1e-3)
    QTest.keyClick(c, Qt.Key.Key_Minus)
    QTest.keyClick(c, Qt.Key.Key_Minus)
    assert c.zoom_factor() < 1
    QTest.keyClick(c, Qt.Key.Key_0)
    assert c.zoom_factor() == pytest.approx(1.0)


def test_painting_still_lands_in_the_right_place_when_zoomed(make_window):
    win = make_window()
    win.canvas.zoom_by(3.0)
    x, y = _centre(win, "back", "right.posterior_thigh")
    win.canvas.centerOn(win.canvas.groups["back"].mapToScene(QPointF(x, y)))
    drag(win.canvas, "back", vertical_line(x, y - 10, y + 10, step=2))
    stroke = next(iter(win.model.marks.values()))
    assert abs(stroke.points[0][0] - x) < 1 and abs(stroke.points[0][1] - (y - 10)) < 1


def test_one_finger_touch_paints_and_two_fingers_pinch_zoom(make_window):
    win = make_window()
    c = win.canvas
    dev = QTest.createTouchDevice(QPointingDevice.DeviceType.TouchScreen)
    # touch points go to the window (QTest's widget overload does not map them)
    off = c.viewport().mapTo(win, QPoint(0, 0))
    x, y = _centre(win, "back", "right.posterior_thigh")
    pts = [c.viewport_point("back", px, py) + off for px, py in vertical_line(x, y - 30, y + 30)]
    seq = QTest.touchEvent(win.windowHandle(), dev)
    seq.press(0, pts[0]).commit()
    for p in pts[1:]:
        seq.move(0, p).commit()
    seq.release(0, pts[-1]).commit()
    assert len(win.model.marks) == 1
    assert "right.posterior_thigh" in [r.id for r in win.model.assessment().regions]

    center = c.viewport().rect().center() + off
    left, right = QPoint(-20, 0), QPoint(20, 0)
    seq.press(0, center + left).press(1, center + right).commit()
    seq.move(0, center + left * 3).move(1, center + right * 3).commit()
    seq.release(0, center + left * 3).release(1, center + right * 3).commit()
    assert c.zoom_factor() == pytest.approx(3.0, rel=0.01)
    assert len(win.model.marks) == 1  # pinching painted nothing


def test_view_switcher_and_dermatome_toggle(make_window):
    win = make_window()
    assert win.canvas.visible_views() == ("front", "back")
    win.view_bar.mode_buttons["sides"].click()
    assert win.canvas.visible_views() == ("right_side", "left_side")
    assert not win.canvas.groups["front"].isVisible()
    win.view_bar.mode_buttons["all"].click()
    assert len(win.canvas.visible_views()) == 4
    win.view_bar.dermatome_check.setChecked(True)
    assert all(g.overlay.dermatomes for g in win.canvas.groups.values())


def test_hovering_names_the_region_with_the_patients_side(make_window):
    from PySide6.QtWidgets import QToolTip

    win = make_window()
    va = win.atlas.view("back")
    pt = va.regions["left.posterior_thigh"].geom.representative_point()
    vp_pt = win.canvas.viewport_point("back", pt.x, pt.y)
    QTest.mouseMove(win.canvas.viewport(), vp_pt)
    assert win.canvas._hover_region == "left.posterior_thigh"
    assert QToolTip.text() == "Patient's LEFT back of the thigh"
    assert not win.model.marks  # hovering never paints


def test_a_tablet_pen_paints(make_window):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QInputDevice, QTabletEvent
    from PySide6.QtWidgets import QApplication

    win = make_window()
    va = win.atlas.view("front")
    x, y = va.regions["left.anterior_thigh"].geom.representative_point().coords[0]
    pen = QPointingDevice("test pen", 7, QInputDevice.DeviceType.Stylus,
                          QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
                          1, 3)
    vp = win.canvas.viewport()

    def send(kind, dy, buttons):
        p = QPointF(win.canvas.viewport_point("front", x, y + dy))
        ev = QTabletEvent(kind, pen, p, QPointF(vp.mapToGlobal(p)), 0.6, 0.0, 0.0, 0.0, 0.0,
                          0.0, Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
                          buttons)
        QApplication.sendEvent(vp, ev)

    send(QEvent.Type.TabletPress, -30, Qt.MouseButton.LeftButton)
    for dy in range(-24, 31, 6):
        send(QEvent.Type.TabletMove, dy, Qt.MouseButton.LeftButton)
    send(QEvent.Type.TabletRelease, 30, Qt.MouseButton.NoButton)
    strokes = [m for m in win.model.marks.values() if isinstance(m, Stroke)]
    assert len(strokes) == 1 and strokes[0].view == "front"
    assert "left.anterior_thigh" in {r.id for r in win.model.assessment().regions}
