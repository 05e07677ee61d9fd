"""The recovery journal in the app (issue 9, findings 1-3): a journal per window, written
synchronously when an edit ends; orphans offered at start before a file is opened; declined
ones kept in File > Recovered Drawings until deleted; two windows never share one."""

from __future__ import annotations

import json
import os
from pathlib import Path

from guihelpers import drag, vertical_line

from hipmap.core.document import load
from hipmap.model.journal import FileJournalStore, replay


def _paint(win, region: str = "right.posterior_thigh", dy: float = 0.0) -> None:
    view = "back"
    x, y = win.atlas.view(view).regions[region].geom.representative_point().coords[0]
    drag(win.canvas, view, vertical_line(x, y - 40 + dy, y + 40 + dy))


def _crash(win) -> None:
    """What kill -9 does to a window's journal: the lock goes, the file stays."""
    win.files.recorder.writer.close(discard=False)
    win.files.recorder.writer = None
    win.stack.setClean()  # so that the fixture's close does not ask


def _journal_entries(data: Path) -> list[list[dict]]:
    out = []
    for p in sorted((data / "recovery").glob("*.journal")):
        out.append([json.loads(line) for line in p.read_text().splitlines()])
    return out


def test_a_crashed_drawing_is_offered_with_patient_and_time_and_restored(make_window, tmp_path,
                                                                         dialogs):
    data = tmp_path / "data"
    win = make_window(data_dir=data)
    win.patient_header.pid.setText("P-0042")
    win.patient_header.pid.editingFinished.emit()
    _paint(win)
    win.editor.set_answer("worse_cough_sneeze", True)
    marks = [m.to_json() for m in win.model.marks.values()]
    _crash(win)

    dialogs.recover_answer = "restore"
    again = make_window(data_dir=data, settings_file=tmp_path / "s2.ini")
    assert again.files.offer_recovery()
    (orphan,) = dialogs.recover_asked
    assert orphan.patient_id == "P-0042" and orphan.updated.endswith("Z")
    assert "patient P-0042" in orphan.describe() and "1 mark" in orphan.describe()
    assert [m.to_json() for m in again.model.marks.values()] == marks
    assert again.model.answers == {"worse_cough_sneeze": True}
    assert again.model.recorded_at  # the app stamped the new drawing when it was drawn
    assert again.isWindowModified()  # recovered work is not saved work
    # the old journal is gone only now that this window's own journal holds the drawing
    (entries,) = _journal_entries(data)
    assert replay(entries)[0].marks == again.model.document().marks
    assert again.files.save_as(str(tmp_path / "rescued"))
    assert not FileJournalStore(data / "recovery").orphans()


def test_finding_1_a_file_opened_after_a_crash_comes_after_the_offer(make_window, tmp_path,
                                                                      dialogs):
    """`hipmap FILE` after a crash: the unsaved drawing is offered first and, when the user
    says later, kept — the file still opens (before: the recovery copy was deleted)."""
    data = tmp_path / "data"
    win = make_window(data_dir=data)
    _paint(win)
    _paint(win, dy=60)
    _crash(win)
    other = tmp_path / "other.hipmap.json"
    other.write_text(json.dumps({"format": "hipmap.drawing/1", "patient": {"id": "Q-1"}}))

    dialogs.recover_answer = "later"
    again = make_window(data_dir=data, settings_file=tmp_path / "s2.ini")
    again.files.start_session(str(other))
    assert len(dialogs.recover_asked) == 1
    assert again.files.current_path == str(other) and again.model.patient == {"id": "Q-1"}
    (kept,) = FileJournalStore(data / "recovery").orphans()
    assert kept.kept and len(kept.doc.marks) == 2
    # a kept drawing is not asked about again at the next start, but listed in the menu
    third = make_window(data_dir=data, settings_file=tmp_path / "s3.ini")
    third.files.start_session()
    assert len(dialogs.recover_asked) == 1
    third.files.fill_recovered_menu(third.recovered_menu)
    titles = [a.text() for a in third.recovered_menu.actions()]
    assert len(titles) == 1 and "2 marks" in titles[0]
    # open it from the menu...
    sub = third.recovered_menu.actions()[0].menu()
    dict((a.text(), a) for a in sub.actions())["Open"].trigger()
    assert len(third.model.marks) == 2 and third.isWindowModified()
    assert not [o for o in FileJournalStore(data / "recovery").orphans()]


def test_a_kept_drawing_stays_until_the_user_deletes_it(make_window, tmp_path, dialogs):
    data = tmp_path / "data"
    win = make_window(data_dir=data)
    _paint(win)
    _crash(win)
    dialogs.recover_answer = False  # "later"
    again = make_window(data_dir=data, settings_file=tmp_path / "s2.ini")
    assert not again.files.offer_recovery()
    assert not again.model.marks
    for _ in range(2):  # still there after more starts
        make_window(data_dir=data, settings_file=tmp_path / "s3.ini").files.offer_recovery()
    (kept,) = FileJournalStore(data / "recovery").orphans()
    dialogs.yes_no_answer = False
    assert not again.files.delete_orphan(kept.ref, kept.describe())
    assert FileJournalStore(data / "recovery").orphans()
    dialogs.yes_no_answer = True
    assert again.files.delete_orphan(kept.ref, kept.describe())
    assert not FileJournalStore(data / "recovery").orphans()
    assert not list((data / "recovery").glob("*.journal"))


def test_finding_2_two_windows_never_share_or_delete_each_others_journal(make_window,
                                                                         tmp_path, dialogs):
    data = tmp_path / "data"
    first = make_window(data_dir=data)
    for k in range(12):
        _paint(first, dy=(k % 6) * 12 - 30)
    second = make_window(data_dir=data, settings_file=tmp_path / "s2.ini")
    dialogs.recover_answer = False
    assert not second.files.offer_recovery()  # the first window is alive: nothing to offer
    assert dialogs.recover_asked == []
    _paint(second, region="left.posterior_thigh")
    assert len(_journal_entries(data)) == 2  # one journal each
    second_journal = second.files.recorder.writer.path
    first_journal = first.files.recorder.writer.path
    assert second_journal != first_journal

    _crash(first)  # the first dies; the second lives on
    dialogs.recover_answer = "restore"
    third = make_window(data_dir=data, settings_file=tmp_path / "s3.ini")
    assert third.files.offer_recovery()
    assert len(dialogs.recover_asked) == 1  # only the dead window's drawing is offered
    assert len(third.model.marks) == 12  # the first's twelve, not the second's one
    assert len(second.model.marks) == 1
    assert not first_journal.exists()  # restored: its journal is gone
    # the second's journal was not touched: it still holds its one stroke
    entries = [json.loads(line) for line in second_journal.read_text().splitlines()]
    assert replay(entries)[0].marks == second.model.document().marks


def test_finding_3_the_newest_stroke_is_on_disk_when_the_release_returns(make_window,
                                                                         tmp_path):
    """No delayed write: the journal holds the stroke before any event is processed."""
    data = tmp_path / "data"
    win = make_window(data_dir=data)
    _paint(win)
    _paint(win, dy=50)  # drag() returns right after the mouse release
    (entries,) = _journal_entries(data)
    assert replay(entries)[0].marks == win.model.document().marks


def test_undo_back_to_the_saved_drawing_leaves_nothing_to_offer(make_window, tmp_path,
                                                                dialogs):
    data = tmp_path / "data"
    win = make_window(data_dir=data)
    _paint(win)
    assert win.files.save_as(str(tmp_path / "saved"))
    saved = load(tmp_path / "saved.hipmap.json")
    assert saved.recorded_at  # the app sets recorded_at (finding 11)
    _paint(win, dy=50)
    win.menu_actions.undo.trigger()
    assert not win.isWindowModified()
    _crash(win)
    assert not FileJournalStore(data / "recovery").orphans()
    assert not list((data / "recovery").glob("*.journal"))  # nothing unsaved: removed


def test_a_clean_close_removes_the_journal(make_window, tmp_path, dialogs):
    data = tmp_path / "data"
    win = make_window(data_dir=data)
    _paint(win)
    assert list((data / "recovery").glob("*.journal"))
    dialogs.save_answer = "discard"
    win.close()
    assert not list((data / "recovery").glob("*.journal"))
    assert not os.listdir(data / "recovery")


def test_a_file_the_system_asks_to_open_waits_for_the_recovery_offer(make_window, tmp_path,
                                                                      dialogs):
    """macOS delivers a double-clicked file as a FileOpen event, possibly before the window
    is ready: it is opened only after crashed drawings were offered."""
    from PySide6.QtGui import QFileOpenEvent
    from PySide6.QtWidgets import QApplication

    from hipmap.ui.app import _FileOpenFilter

    data = tmp_path / "data"
    win = make_window(data_dir=data)
    _paint(win)
    _crash(win)
    other = tmp_path / "other.hipmap.json"
    other.write_text(json.dumps({"format": "hipmap.drawing/1", "patient": {"id": "Q-9"}}))
    again = make_window(data_dir=data, settings_file=tmp_path / "s2.ini")
    opens = _FileOpenFilter(again)
    QApplication.instance().installEventFilter(opens)
    try:
        QApplication.sendEvent(again, QFileOpenEvent(str(other)))
        assert again.files.current_path is None and dialogs.recover_asked == []  # not yet
        dialogs.recover_answer = "later"
        again.files.start_session()
        assert len(dialogs.recover_asked) == 1
        opens._open_pending()
        assert again.files.current_path == str(other)
    finally:
        QApplication.instance().removeEventFilter(opens)


def test_opening_a_drawing_too_costly_to_assess_is_one_message_and_keeps_the_drawing(
        make_window, tmp_path, dialogs):
    import random

    rnd = random.Random(1)
    pts, x, y = [], 300.0, 500.0
    for _ in range(20_000):
        x, y = min(560, max(60, x + rnd.uniform(-9, 9))), min(950, max(50, y + rnd.uniform(-9, 9)))
        pts.append([x, y])
    marks = [{"kind": "stroke", "view": "back", "width": 24, "points": pts},
             {"kind": "stroke", "view": "back", "width": 24, "points": pts[:4000]}]
    heavy = tmp_path / "heavy.hipmap.json"
    heavy.write_text(json.dumps({"format": "hipmap.drawing/1", "marks": marks}))
    win = make_window(data_dir=tmp_path / "data")
    _paint(win)
    before = dict(win.model.marks)
    assert not win.files.open_file(str(heavy))
    ((_title, message),) = dialogs.errors
    assert "heavy.hipmap.json" in message and "after smoothing" in message
    assert win.model.marks == before and win.files.current_path is None
    assert all(e.get("file") is None for e in _journal_entries(tmp_path / "data")[0])
