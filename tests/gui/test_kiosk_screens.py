"""Every kiosk screen photographed at 1920x1080 (landscape), 1080x1920 (portrait) and 1280x800,
in English and Spanish, into tests/screenshots/kiosk/ (the README's kiosk pictures are taken
from there) — and on each, what a patient relies on: nothing cut off or off screen, and the
patient's RIGHT beside the right leg of both figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from kioskhelpers import make_kiosk
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QLabel

from hipmap.i18n import set_language
from hipmap.ui.kiosk.selftest import drive_flow

SHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "kiosk"
SIZES = [(1920, 1080), (1080, 1920), (1280, 800)]


@pytest.fixture(autouse=True)
def english_after():
    yield
    set_language("en")


def _inside(win, w) -> bool:
    r = QRect(w.mapTo(win, w.rect().topLeft()), w.size())
    return win.rect().contains(r)


def _check_sides(flow) -> list[str]:
    """The pill naming the patient's RIGHT is on the screen's left of the front figure and on
    the screen's right of the back figure; the pills do not overlap."""
    canvas, pills = flow.canvas, flow.pills
    pills.repaint()
    found = []
    boxes = [b for _t, b in pills.drawn]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.intersects(b), "two side labels overlap"
    for view in ("front", "back"):
        centre = canvas.viewport_point(view, 300, 500).x()
        near = [(t, b) for t, b in pills.drawn
                if abs(b.center().x() - centre) < canvas.groups[view].view.width
                * canvas.transform().m11() * 0.6]
        rights = [b for t, b in near if t.endswith(("RIGHT", "DERECHA"))]
        assert rights, view
        right_x = min(rights, key=lambda b: abs(b.center().x() - centre)).center().x()
        found.append(view)
        if view == "front":
            assert right_x < centre, "front view: the patient's RIGHT must be on the screen's left"
        else:
            assert right_x > centre, "back view: the patient's RIGHT must be on the screen's right"
    return found


@pytest.mark.parametrize(("lang", "large"), [("en", False), ("es", False), ("es", True)],
                         ids=["en", "es", "es-large"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_at_every_size(qtbot, tmp_path, size, lang, large):
    win, _rec = make_kiosk(qtbot, tmp_path, size=size)
    win.set_large(large)
    out = SHOTS / f"{size[0]}x{size[1]}_{lang}{'_large' if large else ''}"
    out.mkdir(parents=True, exist_ok=True)
    taken: list[str] = []

    def shoot(flow):
        assert win.size().width() == size[0] and win.size().height() == size[1], win.size()
        name = f"{len(taken):02d}_{flow.step.replace(':', '_')}"
        if flow.notice.isVisible():
            name += "_notice"
        for w in win.findChildren(QAbstractButton) + win.findChildren(QLabel):
            if w.isVisible() and w.window() is win and not w.parentWidget().inherits(
                    "QScrollArea") and w.objectName() not in ("check_list",):
                if w.parentWidget().objectName() == "qt_scrollarea_viewport":
                    continue
                if w.parentWidget() is not None and w.parentWidget().objectName() == "panel" \
                        and flow.step == "check":
                    continue  # the answers list scrolls
                assert _inside(win, w), (flow.step, w.objectName(), size)
        if flow.step == "where":
            _check_sides(flow)
        assert win.grab().save(str(out / f"{name}.png"))
        taken.append(name)
    drive_flow(win, lang=lang, on_step=shoot,
               answer=lambda aid: "yes" if aid in ("history_of_cancer", "can_bear_weight")
               else "no")
    win.new_patient("where")
    win.ask_still_there()
    shoot(win.flow)
    win._still_here()
    win.ask_pin()
    assert win.grab().save(str(out / f"{len(taken):02d}_staff_pin.png"))
    steps = {t.split("_", 1)[1] for t in taken}
    assert {"language", "where", "strength", "feel", "check", "code", "thanks"} <= steps
    assert any(t.startswith("q_") for t in steps) and any("notice" in t for t in taken)
