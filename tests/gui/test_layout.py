"""Issue 12, finding 1: the clinician window fits the screen it opens on, from 1280x720 up.

* The first window is never larger than the screen's free area (it opened at 1440x900 on
  1366x768 and 1280x800 laptops, its right-hand column cut off): checked in a real start on
  an offscreen screen of each size, and for a size remembered from a larger screen.
* At 1280x720, 1366x768 and 1920x1080, with a painted drawing and the red-flag banner up,
  nothing is clipped (every visible widget inside its parent and the window, no label, button,
  tab or row cut or elided) and the question list shows at least five whole questions (two
  showed at 1366x768). Screenshots: tests/screenshots/layout_*.png.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from guihelpers import paint_sciatica, save_screenshot
from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtWidgets import QApplication, QWidget
from textcheck import clipped

from hipmap.ui.layout import DEFAULT_SIZE, fitted_geometry, is_compact

SIZES = [(1280, 720), (1366, 768), (1920, 1080)]
IDS = [f"{w}x{h}" for w, h in SIZES]


# ----------------------------------------------------------------------------- the first size

def test_the_default_size_shrinks_to_the_free_area_and_is_centred():
    # a 1366x768 laptop with a 40 px task bar at the bottom
    free = QRect(0, 0, 1366, 728)
    frame = QMargins(1, 30, 1, 1)
    r = fitted_geometry(free, None, frame)
    assert r.width() <= 1366 - 2 and r.height() <= 728 - 31
    assert free.contains(r.marginsAdded(frame))
    # a large screen: the default size, centred
    big = QRect(0, 0, 1920, 1040)
    r = fitted_geometry(big, None, frame)
    assert (r.width(), r.height()) == DEFAULT_SIZE
    assert abs(r.center().x() - big.center().x()) <= 1
    # a remembered place that fits stays where it was; one that does not comes back
    assert fitted_geometry(big, QSize(1000, 700), frame, at=QRect(50, 60, 1000, 700)
                           ).topLeft().toTuple() == (50, 60)
    r = fitted_geometry(free, QSize(1440, 900), frame, at=QRect(300, 200, 1440, 900))
    assert free.contains(r.marginsAdded(frame))


START = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import QSettings, QRect
    from hipmap.ui.app import make_app
    from hipmap.ui.main_window import MainWindow
    app = make_app()
    ini, data, remembered = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    settings = QSettings(ini, QSettings.Format.IniFormat)
    if remembered:  # the window was left at 1440x900 on a larger screen
        big = MainWindow(settings=settings, data_dir=data)
        big.setGeometry(QRect(200, 100, 1440, 900))
        big.save_settings()
        big.files.close()
    win = MainWindow(settings=settings, data_dir=data)
    win.show()
    app.processEvents()
    g, f = win.geometry(), win.frameGeometry()
    free = win.screen().availableGeometry()
    print(json.dumps({"geometry": g.getRect(), "frame": f.getRect(), "free": free.getRect(),
                      "compact": win.column.compact}))
    win.files.close()
""")


@pytest.mark.parametrize("remembered", [False, True], ids=["first-start", "remembered-1440"])
@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)], ids=["1280x720", "1366x768"])
def test_the_first_window_fits_the_screen_it_opens_on(tmp_path, size, remembered):
    screens = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": size[0],
                            "height": size[1], "logicalDpi": 96, "logicalBaseDpi": 96,
                            "dpr": 1}]}
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(screens))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", START, str(tmp_path / "s.ini"),
                          str(tmp_path / "data"), "1" if remembered else "0"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    free = QRect(*seen["free"])
    assert free.size().toTuple() == size
    assert free.contains(QRect(*seen["geometry"])), seen
    assert free.contains(QRect(*seen["frame"])), seen
    assert seen["compact"]  # a laptop screen: the right-hand column in tabs


# ----------------------------------------------------------------------------- every size

def _consultation(win) -> None:
    """A sciatica-like drawing, two answers, then a red flag (the banner across the top)."""
    paint_sciatica(win)
    win.editor.set_answer("leg_pain_worse_than_back", True)
    win.patient_header.age.setValue(58)
    win.assessment_panel.select("lumbar_radiculopathy")
    win.editor.set_answer("saddle_numbness", True)


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _outside_window(win) -> list[str]:
    out = []
    frame = win.rect()
    for w in win.findChildren(QWidget):
        if not w.isVisibleTo(win) or w.isWindow():
            continue
        r = QRect(w.mapTo(win, w.rect().topLeft()), w.size())
        viewport = w.parentWidget()
        while viewport is not None and viewport is not win:  # scrolled content is fine
            if viewport.objectName() == "qt_scrollarea_viewport":
                break
            viewport = viewport.parentWidget()
        if viewport is win and not frame.adjusted(-1, -1, 1, 1).contains(r):
            out.append(f"{type(w).__name__}({w.objectName()}) at {r.getRect()}")
    return out


def whole_questions(win) -> list[str]:
    """The questions of the list a person can read whole without scrolling."""
    vp = win.questions.viewport()
    seen = QRect(0, 0, vp.width(), vp.height())
    out = []
    for aid, row in win.questions.rows.items():
        if not row.isVisibleTo(win.questions):
            continue
        r = QRect(row.mapTo(vp, row.rect().topLeft()), row.size())
        if seen.contains(r):
            out.append(aid)
    return out


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_nothing_is_clipped_and_five_questions_show_with_the_banner(make_window, size):
    win = make_window(size=size)
    assert win.size().toTuple() == size
    _consultation(win)
    assert win.banner.isVisible()
    assert win.column.compact == is_compact(QSize(*size))
    pages = [win.questions, win.evidence] + ([win.assessment_panel] if win.column.compact
                                             else [])
    for page in pages:  # every page of the right-hand column
        win.column.show_page(page)
        _settle()
        name = type(page).__name__
        save_screenshot(win, f"layout_{name}_{size[0]}x{size[1]}")
        problems = [str(f) for f in clipped(win)] + _outside_window(win)
        assert not problems, f"{name} at {size}:\n" + "\n".join(problems)
        assert win.column.page_visible(page)
        assert win.column.page_visible(win.assessment_panel) == (
            not win.column.compact or page is win.assessment_panel)
    win.column.show_page(win.questions)
    _settle()
    shown = whole_questions(win)
    assert len(shown) >= 5, f"only {shown} at {size}"
    assert win.banner.geometry().height() > 40  # the banner really is there, above them


def test_the_column_folds_into_tabs_and_back_keeping_the_page_shown(make_window):
    win = make_window(size=(1920, 1080))
    assert not win.column.compact
    assert win.assessment_panel.isVisibleTo(win)
    win.tabs.setCurrentWidget(win.evidence)
    win.resize(1366, 768)
    _settle()
    assert win.column.compact and win.tabs.currentWidget() is win.evidence
    assert [win.tabs.tabText(i) for i in range(win.tabs.count())] == [
        "Assessment", "All questions", "Evidence && sources"]
    win.column.show_page(win.assessment_panel)
    assert win.assessment_panel.isVisibleTo(win)
    assert not win.questions.isVisibleTo(win)
    win.resize(1920, 1080)
    _settle()
    assert not win.column.compact
    # the assessment is above the tabs again, and both are seen
    assert win.assessment_panel.isVisibleTo(win) and win.questions.isVisibleTo(win)
    assert win.tabs.count() == 2


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)], ids=["1280x720", "1366x768"])
def test_view_headings_stay_readable_in_all_four(make_window, size):
    """Finding 1: in All four the view headings were about 6 px high. Every heading and
    side word drawn smaller than 11 px is drawn again, readable, at its place."""
    from hipmap.ui.canvas.headings import LABEL_PX, MIN_LABEL_PX

    win = make_window(size=size)
    win.canvas.set_mode("all")
    _settle()
    win.canvas.viewport().repaint()
    k = win.canvas.transform().m11()
    assert 20 * k < MIN_LABEL_PX  # the atlas' headings alone would be too small here
    texts = [t for t, _box in win.canvas.small_labels]
    for word in ("FRONT", "BACK", "RIGHT SIDE", "LEFT SIDE"):
        assert word in texts, texts
    assert texts.count("RIGHT") == texts.count("LEFT") == 2  # front and back views
    img = win.canvas.viewport().grab().toImage()
    vp = win.canvas.viewport().rect()
    for text, box in win.canvas.small_labels:
        assert vp.contains(box.toAlignedRect()), text
        assert box.height() >= LABEL_PX + 6
        dark = sum(1 for x in range(int(box.left()), int(box.right()))
                   for y in range(int(box.top()), int(box.bottom()))
                   if img.pixelColor(x, y).lightness() < 90)
        assert dark > 4 * len(text), (text, dark)  # the words are really painted there
    save_screenshot(win, f"layout_all_four_{size[0]}x{size[1]}")
    # large enough views draw their own headings: nothing drawn twice
    win.resize(1920, 1080)
    win.canvas.set_mode("front_back")
    _settle()
    win.canvas.viewport().repaint()
    assert win.canvas.small_labels == []


def test_the_split_is_remembered_even_when_closed_folded(make_window, tmp_path):
    ini = tmp_path / "split.ini"
    win = make_window(size=(1920, 1080), settings_file=ini)
    win.right_splitter.setSizes([200, 700])
    _settle()
    win.right_splitter.splitterMoved.emit(200, 1)  # as a user's drag does
    sizes = win.right_splitter.sizes()
    win.resize(1366, 768)  # folded when closed
    _settle()
    assert win.column.compact
    win.close()
    again = make_window(size=(1920, 1080), settings_file=ini)
    _settle()
    assert not again.column.compact and again.column.user_sizes
    assert again.right_splitter.count() == 2
    assert abs(again.right_splitter.sizes()[0] - sizes[0]) <= 10
