"""Files, recovery, questions, red flags, keyboard-only use, settings, About, self-test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from guihelpers import drag, vertical_line
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hipmap.core.document import RegionMark
from hipmap.core.ids import ANSWERS


def _paint_sciatica(win) -> None:
    x, y = win.atlas.view("back").regions["right.posterior_thigh"].geom.representative_point() \
        .coords[0]
    win.tools.set(intensity=8, quality="shooting")
    drag(win.canvas, "back", vertical_line(x, y - 150, y + 250))


# ----------------------------------------------------------------------------- files

def test_save_and_open_round_trip(make_window, tmp_path, dialogs):
    win = make_window()
    _paint_sciatica(win)
    win.editor.set_answer("worse_sitting", True)
    win.editor.set_answer("duration_days", 30)
    win.patient_header.pid.setText("P-0042")
    win.patient_header.pid.editingFinished.emit()
    assert win.isWindowModified()

    assert win.files.save_as(str(tmp_path / "visit"))
    path = tmp_path / "visit.hipmap.json"
    assert path.is_file() and not win.isWindowModified()
    assert "visit.hipmap.json" in win.windowTitle()
    data = json.loads(path.read_text())
    assert data["format"] == "hipmap.drawing/1" and data["patient"] == {"id": "P-0042"}

    other = make_window()
    assert other.files.open_file(str(path))
    assert list(other.model.marks.values()) == list(win.model.marks.values())
    assert other.model.answers == {"worse_sitting": True, "duration_days": 30}
    assert other.patient_header.pid.text() == "P-0042"
    assert other.questions.rows["worse_sitting"].buttons[True].isChecked()
    assert other.model.assessment().ranking == win.model.assessment().ranking
    assert str(path.resolve()) == other.files.recent_files()[0]
    assert not dialogs.errors


def test_opening_a_broken_file_shows_one_line_and_keeps_the_drawing(make_window, tmp_path,
                                                                     dialogs):
    win = make_window()
    _paint_sciatica(win)
    marks = dict(win.model.marks)
    bad = tmp_path / "bad.hipmap.json"
    bad.write_text('{"format": "hipmap.drawing/1", "marks": [{"kind": "stroke", "view": "top"}]}')
    dialogs.save_answer = "discard"
    assert not win.files.open_file(str(bad))
    assert len(dialogs.errors) == 1
    _title, message = dialogs.errors[0]
    assert "bad.hipmap.json" in message and "view" in message and "\n" not in message
    assert win.model.marks == marks
    assert not win.files.open_file(str(tmp_path / "missing.hipmap.json"))
    assert "no such file" in dialogs.errors[-1][1]


def test_unsaved_changes_prompt_can_cancel_closing(make_window, dialogs):
    win = make_window()
    _paint_sciatica(win)
    dialogs.save_answer = "cancel"
    assert not win.close()
    assert win.isVisible()
    assert not win.files.new_document()
    assert win.model.marks
    dialogs.save_answer = "discard"
    assert win.files.new_document()
    assert not win.model.marks and not win.isWindowModified()


def test_export_png_and_print_to_pdf(make_window, tmp_path):
    from PySide6.QtGui import QImage
    from PySide6.QtPrintSupport import QPrinter

    win = make_window()
    _paint_sciatica(win)
    png = tmp_path / "out.png"
    assert win.files.export_png(str(png))
    img = QImage(str(png))
    assert img.width() > 2000 and img.height() > 1000  # all four views and the legend
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    win.print_to(printer)
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


# ----------------------------------------------------------------------------- recovery
# (the journal itself, kill -9 and two windows: tests/gui/test_recovery.py)

# ----------------------------------------------------------------------------- answers

def test_red_flag_answer_shows_banner_and_changes_urgency_until_it_changes(make_window, qtbot):
    win = make_window()
    _paint_sciatica(win)
    assert not win.banner.isVisible()
    assert win.model.assessment().urgency not in ("urgent", "emergency")
    win.column.show_page(win.questions)  # on a small window, the All questions tab
    row = win.questions.rows["bowel_bladder"]
    qtbot.mouseClick(row.buttons[True], Qt.MouseButton.LeftButton)
    assert win.model.answers["bowel_bladder"] is True
    assert win.banner.isVisible()
    text = win.banner.text.text()
    assert "RED FLAG" in text and "What to do now" in text and "emergency department" in text
    assert "EMERGENCY" in win.assessment_panel.urgency.text()
    assert win.banner.geometry().top() < win.canvas.mapTo(win, win.canvas.rect().topLeft()).y()
    # still there after more painting and other answers
    win.editor.set_answer("worse_sitting", True)
    assert win.banner.isVisible()
    qtbot.mouseClick(row.buttons[False], Qt.MouseButton.LeftButton)
    assert not win.banner.isVisible()
    assert "EMERGENCY" not in win.assessment_panel.urgency.text()
    win.menu_actions.undo.trigger()  # back to "yes"
    assert win.banner.isVisible()


def test_ask_next_is_highlighted_and_answered_in_one_click(make_window, qtbot):
    win = make_window()
    _paint_sciatica(win)
    nxt = win.model.assessment().next_questions
    first = nxt[0].answer
    assert win.questions.rows[first].tag.isVisibleTo(win.questions.rows[first])
    buttons = [b for b in win.assessment_panel.ask_buttons
               if b.isVisible() and b.text() == "Yes"]
    assert buttons and ANSWERS[first][2] in buttons[0].accessibleName()
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert win.model.answers[first] is True
    assert win.questions.rows[first].buttons[True].isChecked()
    assert not win.questions.rows[first].tag.isVisibleTo(win.questions.rows[first])
    assert win.menu_actions.undo.text().startswith("Undo Answer")


def test_number_answers_merge_into_one_undo_step(make_window):
    win = make_window()
    spin = win.questions.rows["age"].spin
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, "58")
    assert win.model.answers["age"] == 58
    win.menu_actions.undo.trigger()
    assert "age" not in win.model.answers


def test_selecting_a_cause_shows_evidence_sources_and_territory(make_window, qtbot):
    win = make_window()
    _paint_sciatica(win)
    top = win.model.assessment().ranking[0]
    win.assessment_panel.cause_combo.setCurrentIndex(
        win.assessment_panel.cause_combo.findData(top.cause))
    html = win.evidence.toHtml()
    assert win.tabs.currentWidget() is win.evidence
    assert top.evidence[0].text.split(";")[0][:30] in win.evidence.toPlainText()
    assert "Sources" in win.evidence.toPlainText()
    cause = win.kb.causes[top.cause]
    back = win.canvas.groups["back"].territory
    assert back.isVisible()
    for base, t in cause.territory.items():
        if t.p > 0.05 and f"right.{base}" in back.vp.regions:
            assert back.weights[f"right.{base}"] == t.p
            assert back.weights.get(f"left.{base}", t.p) == t.p
    assert "What moved the score" in html
    win.assessment_panel.territory_check.setChecked(False)
    assert not back.isVisible()
    win.assessment_panel.select(None)
    assert not back.weights


def test_unverified_sources_are_marked(make_window):
    import html as htmllib

    from hipmap.ui.assessment import evidence_html

    win = make_window()
    kb = win.kb
    for cid in kb.causes:
        text = evidence_html(kb, win.model.assessment(), cid)
        for s in kb.sources.values():
            line = htmllib.escape(s.citation)
            if line in text:
                after = text.split(line, 1)[1].split("</li>", 1)[0]
                assert ("[UNVERIFIED]" in after) == (not s.verified), s.id


# ----------------------------------------------------------------------------- keyboard

def test_keyboard_only_flow_region_list_and_answers(make_window):
    win = make_window()
    tree = win.region_list.tree
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_Home)
    for _ in range(3):  # the side heading, lower back, sacroiliac -> buttock
        QTest.keyClick(tree, Qt.Key.Key_Down)
    rid = win.region_list.current_region()
    assert rid == "right.buttock"
    QTest.keyClick(tree, Qt.Key.Key_Space)
    assert any(isinstance(m, RegionMark) and m.region == rid for m in win.model.marks.values())
    assert rid in [r.id for r in win.model.assessment().regions]
    # Tab to the intensity box and type a new value
    spin = win.region_list.intensity
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, "9")
    mark = next(m for m in win.model.marks.values() if isinstance(m, RegionMark))
    assert mark.intensity == 9
    combo = win.region_list.quality
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)
    mark = next(m for m in win.model.marks.values() if isinstance(m, RegionMark))
    assert mark.quality == "shooting"
    # untick with Space again
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_Space)
    assert not win.model.marks
    # answer a question with the keyboard
    yes = win.questions.rows["worse_lying_on_side"].buttons[True]
    yes.setFocus()
    QTest.keyClick(yes, Qt.Key.Key_Space)
    assert win.model.answers["worse_lying_on_side"] is True
    # every control of the main flow has an accessible name
    for w in (win.canvas, tree, spin, combo, yes, win.assessment_panel.cause_combo,
              win.patient_header.pid, *win.tools_panel.tool_buttons.values()):
        assert w.accessibleName()


def test_tool_shortcuts(make_window):
    win = make_window()
    win.canvas.setFocus()
    QTest.keyClick(win.canvas, Qt.Key.Key_E)
    assert win.tools.tool == "eraser"
    QTest.keyClick(win.canvas, Qt.Key.Key_T)
    assert win.tools.tool == "tap" and win.tools_panel.tool_buttons["tap"].isChecked()
    QTest.keyClick(win.canvas, Qt.Key.Key_B)
    assert win.tools.tool == "brush"


# ----------------------------------------------------------------------------- settings, about

def test_layout_and_view_are_remembered(make_window, tmp_path):
    ini = tmp_path / "remember.ini"
    win = make_window(size=(1100, 760), settings_file=ini)
    win.canvas.set_mode("sides")
    win.view_bar.dermatome_check.setChecked(True)
    win.close()
    again = make_window(size=(640, 480), settings_file=ini)
    again.resize(again.size())  # restoreGeometry happened in __init__; resize() in the
    assert again.canvas.mode == "sides"  # factory is the test's, so check the saved keys
    assert again.view_bar.dermatome_check.isChecked()
    from PySide6.QtCore import QSettings

    assert QSettings(str(ini), QSettings.Format.IniFormat).value("window/geometry") is not None


def test_about_names_version_licence_disclaimer_and_knowledge(make_window):
    import hipmap

    win = make_window()
    from hipmap.ui.help import about_text

    text = about_text(win.kb, storage=win.db, journals=win.files.journals.folder)
    assert hipmap.__version__ in text and "MIT" in text
    assert "does not diagnose" in text
    assert win.kb.version in text
    assert win.kb.sources["lesher2008"].citation[:30] in text


def test_self_test_command_exits_zero():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-m", "hipmap", "--self-test"], capture_output=True,
                       text=True, timeout=120, env=env, cwd=Path(__file__).resolve().parents[2])
    assert r.returncode == 0, r.stderr
    assert "self-test OK" in r.stdout and "right.posterior_thigh" in r.stdout
    assert "record: visit 1 saved and read back" in r.stdout  # the clinic record too


def test_hipmap_with_a_drawing_opens_it(monkeypatch, tmp_path, qtbot):
    """File managers and the installers run `hipmap DRAWING.hipmap.json`; the drawing opens
    once the window is ready (it first appears with the diagram, then builds the rest)."""
    from PySide6.QtWidgets import QApplication

    from hipmap.cli import main
    from hipmap.ui import main_window

    windows = []
    real_init = main_window.MainWindow.__init__

    def spy_init(self, *a, **kw):
        real_init(self, *a, **kw)
        windows.append(self)

    def run_until_ready(app):
        win = windows[-1]
        assert not win.is_ready  # shown with the diagram before anything heavy is built
        qtbot.waitUntil(lambda: win.is_ready and bool(win.model.marks), timeout=10_000)
        return 0

    monkeypatch.setattr(main_window.MainWindow, "__init__", spy_init)
    monkeypatch.setattr(QApplication, "exec", run_until_ready)
    example = str(Path(__file__).resolve().parents[2] / "examples" / "bursitis.hipmap.json")
    assert main([example]) == 0
    win = windows[-1]
    assert win.files.current_path == example
    assert win.model.patient["id"] == "DEMO-04" and win.model.marks
    win.stack.setClean()
    win.close()
    assert main([str(tmp_path / "missing.hipmap.json")]) == 2


def test_progressive_start_shows_the_diagram_before_the_geometry_stack_loads():
    """The first frame needs neither numpy nor shapely (nor pyqtgraph)."""
    code = ("import sys, tempfile; from pathlib import Path\n"
            "from PySide6.QtCore import QSettings\n"
            "from hipmap.ui.app import make_app\n"
            "app = make_app(['t'])\n"
            "from hipmap.ui.main_window import MainWindow\n"
            "from hipmap.ui.preview import DiagramPreview\n"
            "d = tempfile.mkdtemp()\n"
            "w = MainWindow(settings=QSettings(d + '/s.ini', QSettings.Format.IniFormat),"
            " data_dir=Path(d), progressive=True)\n"
            "w.show(); app.processEvents()\n"
            "heavy = [m for m in ('numpy', 'shapely', 'pyqtgraph') if m in sys.modules]\n"
            "preview = w.findChild(DiagramPreview) is not None\n"
            "print('FIRST', heavy, preview, w.is_ready, flush=True)\n"
            "w.ready.connect(app.quit); app.exec()\n"
            "n = len(w.model.assessment().ranking)\n"
            "print('READY', w.is_ready, n == len(w.kb.causes) + 1, flush=True)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=env, timeout=120)
    assert "FIRST [] True False" in r.stdout, r.stdout + r.stderr[-2000:]
    assert "READY True True" in r.stdout  # every cause of the knowledge base and `other`


def test_a_recovery_copy_that_cannot_be_written_is_reported(make_window, tmp_path, qtbot):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    win = make_window(data_dir=blocker / "sub")
    _paint_sciatica(win)
    assert win.files.recorder.last_error
    qtbot.waitUntil(lambda: "could not be saved" in win.statusBar().currentMessage(),
                    timeout=3000)
    assert win.model.marks  # the drawing itself is untouched


def test_a_missing_x11_library_is_one_clear_line_not_a_qt_abort(monkeypatch, capsys):
    import ctypes

    from hipmap.ui import app

    def fail(path):
        raise OSError("libxcb-icccm.so.4: cannot open shared object file: No such file")

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(ctypes, "CDLL", fail)
    assert app.missing_display_library() == "libxcb-icccm.so.4"
    assert app.run() == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "libxcb-icccm.so.4" in err and "apt install" in err


def test_an_unexpected_error_is_logged_told_and_the_drawing_kept(make_window, tmp_path):
    from hipmap.ui.app import install_error_handler

    data = tmp_path / "data"
    win = make_window(data_dir=data)
    _paint_sciatica(win)
    marks = dict(win.model.marks)
    old = sys.excepthook
    try:
        hook = install_error_handler(win, data)
        try:
            raise ZeroDivisionError("division by zero")
        except ZeroDivisionError:
            hook(*sys.exc_info())
    finally:
        sys.excepthook = old
    assert "Something went wrong (ZeroDivisionError" in win.statusBar().currentMessage()
    assert "ZeroDivisionError" in (data / "hipmap-errors.log").read_text()
    journals = list((data / "recovery").glob("*.journal"))  # the drawing is safe on disk
    assert len(journals) == 1 and journals[0].stat().st_size > 0
    assert win.model.marks == marks
