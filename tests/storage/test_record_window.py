"""The clinician window on the clinic record, on SQLite and on PostgreSQL (pytest-qt): Open
Patient and New Visit, autosave off the paint path, the database journal offered back after
kill -9, a database that cannot be reached, the conflict dialog's three choices with two
windows on one database, and the live inbox of kiosk submissions."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from conftest import ROOT, drawing

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                        "does not support raise")]

SHOTS = ROOT / "tests" / "screenshots"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QStandardPaths

    home = tmp_path / "home"
    for var, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_DATA_HOME", ".local/share"), ("XDG_CACHE_HOME", ".cache")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    QStandardPaths.setTestModeEnabled(True)


class Asked:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.conflict_answer: str | None = "mine"
        self.conflicts: list[Any] = []
        self.recover_answer = "restore"
        self.recovered: list[Any] = []

    def show_error(self, title: str, message: str) -> None:
        self.errors.append((title, message))

    def ask_conflict(self, conflict: Any, theirs: Any) -> str | None:
        self.conflicts.append((conflict, theirs))
        return self.conflict_answer

    def ask_recover_visit(self, entry: Any) -> str:
        self.recovered.append(entry)
        return self.recover_answer


@pytest.fixture
def asked() -> Asked:
    return Asked()


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, asked: Asked):
    from PySide6.QtCore import QSettings

    from hipmap.ui.app import make_app
    from hipmap.ui.main_window import MainWindow

    make_app()
    made: list[Any] = []

    def factory(url: str | None, name: str = "a", *, ready: bool = True,
                **options: Any) -> Any:
        options = {"autosave_ms": 50, "journal_ms": 20, "inbox_poll_ms": 100,
                   "ask_conflict": asked.ask_conflict,
                   "ask_recover_visit": asked.ask_recover_visit, **options}
        win = MainWindow(settings=QSettings(str(tmp_path / f"{name}.ini"),
                                            QSettings.Format.IniFormat),
                         data_dir=tmp_path / f"data-{name}", db=url, record=True,
                         lazy_chart=False,
                         ask_save=lambda: "discard", ask_recover=lambda _o: "restore",
                         show_error=asked.show_error, record_options=options)
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        qtbot.waitExposed(win)
        if ready:
            qtbot.waitUntil(lambda: win.record.session.ready, timeout=30000)
        made.append(win)
        return win

    yield factory
    for win in made:
        win.stack.setClean()
        win.close()


def paint(win: Any, region: str = "right.lateral_hip", view: str = "front") -> None:
    sys.path.insert(0, str(ROOT / "tests" / "gui"))
    from guihelpers import drag, vertical_line

    pt = win.atlas.view(view).regions[region].geom.representative_point()
    drag(win.canvas, view, vertical_line(pt.x, pt.y - 15, pt.y + 15))


def stored(win: Any, visit: int) -> Any:
    return win.record.session.records.store.get_visit(visit)


def regions_of(text: str) -> set[str]:
    from hipmap.core.document import loads
    from hipmap.storage.documents import painted_regions

    return set(painted_regions(loads(text)))


def open_patient(win: Any, pid: str = "P-0042", name: str | None = None) -> None:
    assert win.record.session.open_patient(pid, name=name)


# ============================================================================ item 1

def test_open_patient_then_new_visit_shows_the_banner_and_the_visit_list(window, db_url,
                                                                         qtbot, asked):
    win = window(db_url)
    s, ui = win.record.session, win.record
    assert "P-0042" not in ui.bar.patient.text()
    open_patient(win, "P-0042", "Ana García")  # new patient: a first visit is created
    assert win.files.current_path == "visit:1"
    assert "P-0042" in ui.bar.patient.text() and "Ana García" in ui.bar.patient.text()
    assert "Visit 1" in ui.bar.visit.text()
    assert s.records.store.get_patient("P-0042").name == "Ana García"
    paint(win)
    qtbot.waitUntil(lambda: stored(win, 1).version == 2, timeout=10000)
    assert s.new_visit()  # a second visit of the same patient, starting empty
    assert win.files.current_path == "visit:2" and not win.model.marks
    qtbot.waitUntil(lambda: ui.panel.visits.count() == 2, timeout=10000)
    texts = [ui.panel.visits.item(i).text() for i in range(2)]
    assert "visit 2" in texts[0] and texts[0].startswith("▶")  # newest first, the open one
    # clicking the first visit opens it, with its drawing
    ui.panel.visits.itemClicked.emit(ui.panel.visits.item(1))
    assert win.files.current_path == "visit:1" and len(win.model.marks) == 1
    assert asked.errors == []


def test_the_open_patient_dialog_finds_by_id_or_name_and_lists_recent(window, db_url):
    from hipmap.ui.record import OpenPatientDialog

    win = window(db_url)
    store = win.record.session.records.store
    store.add_visit(json.dumps(drawing("P-0100")), patient="P-0100")
    store.open_patient("P-0100", name="Rosa Díaz")
    store.add_visit(json.dumps(drawing("Q-7")), patient="Q-7")
    dlg = OpenPatientDialog(win.record.session, win)
    items = lambda: [dlg.results.item(i).text() for i in range(dlg.results.count())]  # noqa: E731
    assert items() == ["Q-7", "P-0100 — Rosa Díaz"]  # recent patients, newest first
    dlg.query.setText("díaz")
    assert items()[0] == "P-0100 — Rosa Díaz"  # Enter opens the patient found ...
    assert items()[-1].startswith("New patient")  # ... "díaz" could be created, last
    dlg.query.setText("P-0100")
    assert items() == ["P-0100 — Rosa Díaz"]
    dlg.accept()
    assert dlg.chosen == "P-0100"
    dlg.deleteLater()


def test_autosave_never_calls_the_store_on_the_paint_path(window, db_url, qtbot):
    # timers long enough that none can fire while the strokes are painted
    win = window(db_url, journal_ms=1500, autosave_ms=2000)
    s = win.record.session
    open_patient(win)
    s.wait_idle()  # the visit list of the patient just opened is read
    qtbot.wait(50)
    store = s.records.store
    calls: list[tuple[str, str]] = []
    for name in ("save_visit", "journal_put", "journal_clear", "add_visit", "list_visits"):
        real = getattr(store, name)

        def spy(*a: Any, _real: Any = real, _name: str = name, **k: Any) -> Any:
            calls.append((_name, threading.current_thread().name))
            return _real(*a, **k)

        setattr(store, name, spy)
    paint(win)
    paint(win, "left.anterior_knee")
    # the strokes are in the window; the stroke handlers wrote nothing to the database (on a
    # loaded machine a timer may already have fired: its call is on the worker thread)
    assert len(win.model.marks) == 2
    assert all(t.startswith("hipmap-record") for _n, t in calls), calls
    qtbot.waitUntil(lambda: stored(win, 1).version == 2, timeout=10000)
    assert {"save_visit", "journal_clear"} <= {n for n, _t in calls}
    assert all(t.startswith("hipmap-record") for _n, t in calls), calls
    assert regions_of(stored(win, 1).document) == {"right.lateral_hip", "left.anterior_knee"}
    qtbot.waitUntil(lambda: not win.files.is_modified(), timeout=5000)
    assert "Saved in the clinic record" in win.record.bar.state.text()


def test_a_database_that_cannot_be_reached_is_one_line_and_a_retry(window, tmp_path, qtbot,
                                                                   asked):
    folder = tmp_path / "not-yet"
    win = window(f"sqlite:///{folder}/record.db", ready=False)
    bar = win.record.bar
    qtbot.waitUntil(lambda: win.record.session.error is not None, timeout=10000)
    line = bar.state.text()
    assert "cannot be used" in line and "recovery journal" in line
    assert "Traceback" not in line and "\n" not in line
    assert bar.retry.isVisibleTo(win) and not bar.new_visit.isEnabled()
    paint(win)  # painting goes on
    assert len(win.model.marks) == 1
    folder.mkdir()
    bar.retry.click()
    qtbot.waitUntil(lambda: win.record.session.ready, timeout=10000)
    assert not bar.retry.isVisibleTo(win) and bar.new_visit.isEnabled()
    # the drawing painted while the record was away becomes the patient's visit
    open_patient_id = "P-9"
    s = win.record.session
    s.patient = s.records.store.open_patient(open_patient_id)
    assert s.new_visit()
    assert regions_of(stored(win, 1).document) == {"right.lateral_hip"}


def test_an_unreachable_server_says_so_without_a_traceback(window, qtbot):
    win = window("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
                 ready=False)
    qtbot.waitUntil(lambda: win.record.session.error is not None, timeout=15000)
    text = win.record.bar.state.text()
    assert "127.0.0.1" in text and "Traceback" not in text
    assert win.record.bar.retry.isVisibleTo(win)


CHILD = Path(__file__).with_name("record_crash_child.py")


def test_kill_9_while_editing_a_visit_is_offered_back_from_the_database(window, db_url,
                                                                        tmp_path, qtbot,
                                                                        asked):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HIPMAP_TEST_DB": db_url,
           "HIPMAP_DATA_DIR": str(tmp_path / "child-data")}
    proc = subprocess.Popen([sys.executable, str(CHILD)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = ""
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("JOURNALED"):
                break
        assert line.startswith("JOURNALED"), proc.stderr.read()  # type: ignore[union-attr]
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    # the visit itself was never saved after the strokes; the database journal has them
    win = window(db_url, "after")  # another data folder: nothing of the child's on disk
    win.files.start_session()  # as the app does once the window is ready
    win.record.session.offer_recovery()
    assert len(asked.recovered) == 1 and asked.recovered[0].visit == 1
    assert win.files.current_path == "visit:1" and win.files.is_modified()
    assert len(win.model.marks) == 2
    # ... and is saved from here, on top of the version it started from
    qtbot.waitUntil(lambda: stored(win, 1).version == 2, timeout=10000)
    assert regions_of(stored(win, 1).document) == {"right.lateral_hip", "left.anterior_knee"}
    # the save and the clearing of this workstation's journal entry are two steps of the
    # worker's autosave: wait for the second, never for less
    qtbot.waitUntil(lambda: win.record.session.records.pending() == [], timeout=10000)
    assert win.record.session.records.pending() == []


# ============================================================================ conflicts

def two_windows_on_one_visit(window, db_url, qtbot) -> tuple[Any, Any]:
    a = window(db_url, "a")
    open_patient(a)
    paint(a)
    qtbot.waitUntil(lambda: stored(a, 1).version == 2, timeout=10000)
    b = window(db_url, "b")
    assert b.record.session.open_visit(1)
    a.record.session._save_timer.stop()
    paint(b, "left.anterior_knee")  # desk b saves version 3
    qtbot.waitUntil(lambda: stored(b, 1).version == 3, timeout=10000)
    paint(a, "right.groin")  # desk a still has version 2: its autosave conflicts
    return a, b


@pytest.mark.parametrize("choice", ["mine", "theirs", "new"])
def test_the_conflict_dialog_choices_do_what_they_say(window, db_url, qtbot, asked, choice):
    asked.conflict_answer = choice
    a, _b = two_windows_on_one_visit(window, db_url, qtbot)
    qtbot.waitUntil(lambda: len(asked.conflicts) == 1, timeout=10000)
    conflict, theirs = asked.conflicts[0]
    assert conflict.detail.current.version == 3
    assert {m.region for m in theirs.marks if m.kind == "region"} or theirs.marks
    mine_regions = {"right.lateral_hip", "right.groin"}
    theirs_regions = {"right.lateral_hip", "left.anterior_knee"}
    store = a.record.session.records.store
    if choice == "mine":
        qtbot.waitUntil(lambda: stored(a, 1).version == 4, timeout=10000)
        assert regions_of(stored(a, 1).document) == mine_regions
        assert regions_of(store.revision_document(1, 3)) == theirs_regions  # kept
    elif choice == "theirs":
        assert stored(a, 1).version == 3
        assert set(a.model.assessment().regions and
                   [r.id for r in a.model.assessment().regions]) == theirs_regions
        assert not a.files.is_modified() and a.files.version == 3
    else:
        assert a.files.current_path == "visit:2"
        assert regions_of(stored(a, 2).document) == mine_regions
        assert stored(a, 2).patient == "P-0042"
        assert regions_of(stored(a, 1).document) == theirs_regions
    assert asked.errors == []


def test_the_conflict_dialog_shows_both_versions_and_what_differs(window, db_url, qtbot):
    from hipmap.core.document import loads
    from hipmap.storage.documents import RecordConflict
    from hipmap.storage.errors import VersionConflict
    from hipmap.ui.record import ConflictDialog

    win = window(db_url)
    a = loads(json.dumps(drawing("P-1", marks=[
        {"kind": "region", "region": "right.lateral_hip", "intensity": 6}])))
    b = loads(json.dumps(drawing("P-1", marks=[
        {"kind": "region", "region": "left.anterior_knee", "intensity": 4}],
        answers={"age": 55, "night_pain": True})))
    from datetime import UTC, datetime

    from hipmap.storage.errors import Change

    detail = VersionConflict(7, 2, Change(3, "dr-b", "desk-b", datetime(2026, 11, 20, 9, 30,
                                                                         tzinfo=UTC)),
                             theirs=b.dumps(), mine=a.dumps())
    dlg = ConflictDialog(win, a, b, RecordConflict("visit:7", detail))
    text = dlg.differences.text()
    assert "Painted only in yours: RIGHT outer hip" in text
    assert "Painted only in theirs: LEFT front of the knee" in text
    assert "night" in text.lower()
    assert set(dlg.buttons) == {"mine", "theirs", "new"}
    dlg.resize(960, 700)
    dlg.show()
    qtbot.waitExposed(dlg)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dlg.grab().save(str(SHOTS / "record-conflict.png"))
    dlg.buttons["theirs"].click()
    assert dlg.choice == "theirs"


# ============================================================================ the inbox

def test_a_kiosk_submission_appears_live_and_opening_it_marks_it_opened(window, db_url, qtbot):
    from hipmap.storage import CheckIn, open_store

    win = window(db_url)
    panel = win.record.panel
    assert panel.tabText(1) == "Inbox"
    # the panel starts hidden on a screen narrower than the folding layout's threshold
    from hipmap.ui.layout import COMPACT_WIDTH

    narrow = win.screen().availableGeometry().width() < COMPACT_WIDTH
    assert win.record.dock.isHidden() == narrow
    win.record.dock.hide()  # as the clinician may have left it
    qtbot.waitUntil(lambda: win.record._inbox_seen is not None, timeout=15000)
    kiosk = open_store(db_url, user="kiosk", workstation="kiosk-1")
    calm = kiosk.submit_kiosk(json.dumps(drawing(None, answers={"age": 40})),
                              checkin=CheckIn(code="A1"))
    flagged = drawing(None, answers={"age": 70, "fever_chills": True,
                                     "history_of_cancer": True, "night_pain": True,
                                     "weight_loss": True})
    urgent = kiosk.submit_kiosk(json.dumps(flagged), checkin=CheckIn(code="B2"))
    kiosk.close()
    qtbot.waitUntil(lambda: panel.tabText(1) == "Inbox (2)", timeout=15000)
    # a new submission shows the panel, on its Inbox tab: a red flag waits for nobody
    assert not win.record.dock.isHidden() and panel.currentIndex() == 1
    first = panel.inbox.item(0)
    from PySide6.QtCore import Qt

    assert first.data(Qt.ItemDataRole.UserRole) == urgent  # a red flag comes first
    assert "B2" in first.text() and "Red flags" in first.text()
    assert first.background().color().name() in ("#b00020", "#e65100")
    assert "A1" in panel.inbox.item(1).text()
    panel.setCurrentIndex(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert win.grab().save(str(SHOTS / "record-inbox.png"))
    panel.open_submission.click()  # the first, selected: the urgent one
    assert win.files.current_path == f"visit:{urgent}"
    assert win.model.answers.get("history_of_cancer") is True  # the clinician carries on
    v = stored(win, urgent)
    assert v.opened_at is not None
    qtbot.waitUntil(lambda: panel.tabText(1) == "Inbox (1)", timeout=15000)
    assert panel.inbox.item(0).data(Qt.ItemDataRole.UserRole) == calm
    # the submission gets its patient from the clinician's header, by autosave
    win.patient_header.pid.setText("P-0777")
    win.patient_header.pid.editingFinished.emit()
    qtbot.waitUntil(lambda: stored(win, urgent).patient == "P-0777", timeout=10000)
    qtbot.waitUntil(lambda: "P-0777" in win.record.bar.patient.text(), timeout=10000)


# ============================================================================ history

def course(store: Any, pid: str = "P-0042") -> None:
    def r(region: str, i: int) -> dict:
        return {"kind": "region", "region": region, "intensity": i}

    for when, marks in (
            ("2026-09-01T09:00:00Z", [r("right.lateral_hip", 7), r("right.lateral_thigh", 6),
                                      r("right.buttock", 5)]),
            ("2026-10-13T09:00:00Z", [r("right.lateral_hip", 5), r("right.lateral_thigh", 4)]),
            ("2026-11-24T09:00:00Z", [r("right.lateral_hip", 3), r("right.posterior_leg", 3),
                                      r("left.lateral_hip", 2)])):
        doc = drawing(pid, marks=marks, answers={"age": 58}, recorded_at=when)
        store.add_visit(json.dumps(doc), patient=pid)


def test_the_history_view_compares_the_last_visit_with_the_one_before(window, db_url, qtbot):
    from hipmap.storage.history import history

    win = window(db_url)
    s = win.record.session
    course(s.records.store)
    open_patient(win)  # the latest visit opens
    dlg = win.record.show_history()
    view = dlg.view
    qtbot.waitExposed(dlg)
    assert len(view.timeline.visits) == 3  # the timeline at once, the rest from the worker
    qtbot.waitUntil(lambda: view.charts is not None, timeout=10000)
    assert (view.before_box.currentIndex(), view.after_box.currentIndex()) == (1, 2)
    assert view.overlay.classes == {"left.lateral_hip": "new", "right.posterior_leg": "new",
                                    "right.lateral_thigh": "resolved",
                                    "right.lateral_hip": "unchanged"}
    text = view.changes.text()
    assert "New: LEFT outer hip, RIGHT calf" in text
    assert "Resolved: RIGHT outer thigh" in text and "RIGHT outer hip 5 → 3" in text
    # any two visits: the first against the last
    view.before_box.setCurrentIndex(0)
    assert view.overlay.classes["right.buttock"] == "resolved"
    # a click on the timeline compares that visit with the one before
    xs = view.timeline._xs()
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(view.timeline, Qt.MouseButton.LeftButton, pos=QPoint(int(xs[1]), 30))
    assert (view.before_box.currentIndex(), view.after_box.currentIndex()) == (0, 1)
    assert view.overlay.classes["right.buttock"] == "resolved"
    # opened from visit 2: visit 2 against visit 1 by default
    view.after_box.setCurrentIndex(2)
    view.before_box.setCurrentIndex(1)
    assert s.open_visit(2)
    win.record.show_history()
    qtbot.waitUntil(lambda: view.after_box.currentIndex() == 1, timeout=10000)
    assert view.before_box.currentIndex() == 0 and view.timeline.after == 1
    assert s.open_visit(3)
    # the charts show the numbers of `hipmap history`
    h = history(s.records.store, "P-0042")
    hip = next(c for c in view.charts.area.getPlotItem().listDataItems()
           if c.name() == "hip")
    assert list(hip.yData) == pytest.approx([100 * v["groups"]["hip"]["area"]
                                             for v in h["visits"]])
    top = view.charts.intensity.getPlotItem().listDataItems()[0]
    assert list(top.yData) == [7, 5, 3]
    view.before_box.setCurrentIndex(1)
    view.after_box.setCurrentIndex(2)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dlg.grab().save(str(SHOTS / "record-history.png"))


# ============================================================================ the password

@pytest.mark.parametrize("with_keyring", [True, False], ids=["keyring", "no-keyring"])
def test_a_database_chosen_in_the_app_keeps_its_password_out_of_the_settings(
        window, backend, db_url, qtbot, tmp_path, monkeypatch, with_keyring):
    if backend == "sqlite":
        pytest.skip("an SQLite file has no password")
    keyring = pytest.importorskip("keyring")
    from keyring.backends import fail
    from sqlalchemy.engine import make_url
    from test_credentials import MemoryKeyring

    password = make_url(db_url).password
    assert password  # the CI server's superuser has one
    old = keyring.get_keyring()
    kr = MemoryKeyring() if with_keyring else fail.Keyring()
    keyring.set_keyring(kr)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    try:
        win = window(f"sqlite:///{tmp_path}/first.db")
        assert win.record.choose_database(db_url)
        qtbot.waitUntil(lambda: win.record.session.ready and win.record.session.records
                        .store.backend == "postgresql", timeout=20000)
        assert win.record.session.error is None  # connected, with the password kept aside
        win.settings.sync()
        ini = Path(win.settings.fileName()).read_text(encoding="utf-8")
        assert password not in ini and "record" in ini
        if with_keyring:
            assert password in kr.kept.values()
            assert not (tmp_path / "pgpass").exists()
        else:
            assert password in (tmp_path / "pgpass").read_text()
        # the next start: the URL from the settings, the password from where it was kept
        win2 = window(None, "a")  # the same settings file
        qtbot.waitUntil(lambda: win2.record.session.ready, timeout=20000)
        assert win2.record.session.records.store.backend == "postgresql"
    finally:
        keyring.set_keyring(old)


def test_the_report_of_a_visit_says_what_changed_since_the_last_visit(window, db_url, qtbot,
                                                                      tmp_path):
    from PySide6.QtGui import QPdfWriter

    from hipmap.report.clinical import build_report

    win = window(db_url)
    course(win.record.session.records.store)
    open_patient(win)  # the latest of the three visits
    since = win.record.session.since_last_visit()
    assert since["since_visit"] == 2 and since["date"].startswith("2026-10-13")
    assert since["new"] == ["left.lateral_hip", "right.posterior_leg"]
    assert since["resolved"] == ["right.lateral_thigh"]
    assert since["intensity"] == [{"id": "right.lateral_hip", "before": 5, "after": 3}]
    html = build_report(win.model.document(), win.model.assessment(), since=since).html
    assert "Since the last visit (visit 2, 2026-10-13)" in html
    assert "LEFT outer hip" in html and "RIGHT outer thigh" in html and "5 → 3" in html
    writer = QPdfWriter(str(tmp_path / "r.pdf"))
    assert win.print_to(writer) >= 1  # File > Print lays it out with the section
    # the first visit has nothing before it
    assert win.record.session.open_visit(1)
    assert win.record.session.since_last_visit() is None
