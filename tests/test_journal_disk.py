"""The recovery journal without Qt (hipmap/model/journal.py): replay, locks, orphans,
torn lines, compaction, and a write that fails and heals."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hipmap.core.document import RegionMark, Stroke
from hipmap.model import journal
from hipmap.model.drawing import DrawingModel
from hipmap.model.journal import FileJournalStore, Recorder, replay


def stroke(y: float = 400.0) -> Stroke:
    return Stroke("back", ((400.0, y), (402.0, y + 40.0)), 14.0, intensity=7)


def entries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def recorded(tmp_path: Path) -> tuple[DrawingModel, Recorder, FileJournalStore]:
    model = DrawingModel()
    store = FileJournalStore(tmp_path / "recovery")
    rec = Recorder(model, store)
    return model, rec, store


def test_each_edit_is_one_small_appended_line_replayed_to_the_same_document(tmp_path):
    model, rec, _store = recorded(tmp_path)
    rec.set_modified(True)
    ids = model.add_marks([stroke(300 + 10 * i) for i in range(5)])
    model.remove_marks(ids[:1])
    model.replace_marks(ids[1:2], [stroke(700)])
    model.set_answer("worse_sitting", True)
    model.set_answer("age", 58)
    model.set_answer("worse_sitting", None)
    model.set_patient({"id": "P-7"})
    model.add_marks([RegionMark("left.groin", intensity=3)])
    lines = entries(rec.writer.path)
    assert [e["op"] for e in lines[1:]] == ["marks", "marks", "marks", "answer", "answer",
                                             "answer", "patient", "marks"]
    # never the whole drawing: about one mark's size per mark added
    assert all(len(json.dumps(e)) < 250 * max(1, len(e.get("add", []))) for e in lines[1:])
    doc, _file, modified, kept = replay(lines)
    assert doc.marks == model.document().marks and modified and not kept
    assert doc.answers == {"age": 58} and doc.patient == {"id": "P-7"}


def test_a_torn_last_line_is_ignored_and_the_rest_recovered(tmp_path):
    model, rec, _store = recorded(tmp_path)
    rec.set_modified(True)
    model.add_marks([stroke(300), stroke(500)])
    with open(rec.writer.path, "ab") as fh:  # a power cut in the middle of a write
        fh.write(b'{"n": 9, "op": "marks", "add": [[3, {"kind": "str')
    doc = replay(journal._read_entries(os.open(rec.writer.path, os.O_RDONLY)))[0]
    assert len(doc.marks) == 2


def test_a_live_journal_is_no_orphan_and_a_dead_one_is(tmp_path):
    model, rec, store = recorded(tmp_path)
    rec.set_modified(True)
    model.add_marks([stroke()])
    assert store.orphans() == []  # locked by this (living) writer
    assert store.claim(rec.writer.ref) is None
    rec.writer.close(discard=False)  # the lock goes as with kill -9; the file stays
    (orphan,) = store.orphans()
    assert len(orphan.doc.marks) == 1 and orphan.modified
    claim = store.claim(orphan.ref)
    assert claim is not None and store.claim(orphan.ref) is None  # one taker at a time
    claim.release()


def test_the_lock_dies_with_the_process(tmp_path):
    """A real child process holds a journal; once it is killed its journal is an orphan."""
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
        from hipmap.model.drawing import DrawingModel
        from hipmap.core.document import Stroke
        from hipmap.model.journal import FileJournalStore, Recorder
        m = DrawingModel()
        r = Recorder(m, FileJournalStore(__import__("pathlib").Path({str(tmp_path)!r})))
        r.set_modified(True)
        m.add_marks([Stroke("back", ((400.0, 400.0), (402.0, 440.0)), 14.0)])
        print("READY", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "READY"
        store = FileJournalStore(tmp_path)
        assert store.orphans() == []
        proc.kill()
        proc.wait(timeout=10)
        (orphan,) = store.orphans()
        assert len(orphan.doc.marks) == 1
    finally:
        if proc.poll() is None:
            proc.kill()


def test_saving_starts_the_journal_again_small_and_clean(tmp_path):
    model, rec, store = recorded(tmp_path)
    rec.set_modified(True)
    model.add_marks([stroke(300 + i) for i in range(20)])
    rec.saved(str(tmp_path / "x.hipmap.json"))
    lines = entries(rec.writer.path)
    assert len(lines) == 1 and lines[0]["op"] == "base" and not lines[0]["modified"]
    rec.writer.close(discard=False)
    assert store.orphans() == []  # nothing unsaved: removed, not offered


def test_a_long_session_is_compacted(tmp_path, monkeypatch):
    monkeypatch.setattr(journal, "COMPACT_BYTES", 20_000)
    model, rec, _store = recorded(tmp_path)
    rec.set_modified(True)
    (mid,) = model.add_marks([stroke()])
    for _ in range(200):  # undo and redo of one stroke, over and over
        removed = model.remove_marks([mid])
        model.add_marks([m for _, m in removed], [mid])
    assert rec.writer.size() <= 4 * 20_000
    assert replay(entries(rec.writer.path))[0].marks == model.document().marks


def test_a_write_that_fails_is_reported_and_the_journal_heals(tmp_path, monkeypatch):
    model, rec, _store = recorded(tmp_path)
    errors: list[str | None] = []
    rec.on_error = errors.append
    rec.set_modified(True)
    model.add_marks([stroke(300)])
    real = journal.FileJournal.append

    def full(self, entry):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal.FileJournal, "append", full)
    model.add_marks([stroke(400)])  # lost on disk: reported
    assert errors and "No space" in errors[-1]
    monkeypatch.setattr(journal.FileJournal, "append", real)
    model.add_marks([stroke(500)])  # space again: the whole drawing is written back
    assert errors[-1] is None
    assert replay(entries(rec.writer.path))[0].marks == model.document().marks


def test_one_append_costs_little_on_a_500_stroke_drawing(tmp_path):
    """Not a timing assertion: the entry for one stroke stays one stroke's size however big
    the drawing (benchmarks/bench_journal.py measures the time)."""
    from hipmap.core.document import Document

    model, rec, _store = recorded(tmp_path)
    model.load(Document(marks=[stroke(100 + i % 700) for i in range(500)]))
    rec.set_modified(True)  # the base (whole drawing) is written once, here
    before = rec.writer.size()
    model.add_marks([stroke(350)])
    assert rec.writer.size() - before < 400


@pytest.mark.parametrize("bad", [b"not json\n", b'{"op": "base", "doc": {"format": 3}}\n'])
def test_a_damaged_journal_is_never_offered_as_a_drawing(tmp_path, bad):
    folder = tmp_path / "recovery"
    folder.mkdir()
    (folder / "x.journal").write_bytes(bad)
    assert FileJournalStore(folder).orphans() == []


def test_an_entry_is_in_the_file_before_append_returns_and_synced_off_the_paint_path(
        tmp_path, monkeypatch):
    """kill -9 safety: the entry is written (readable through another descriptor) when the
    stroke's handler returns, even while the disk sync is still held up; power-cut safety:
    the sync happens on the journal's thread, promptly, without the window waiting for it."""
    import threading

    gate = threading.Event()
    synced: list[int] = []
    real_sync = journal._SYNC

    def slow_sync(fd: int) -> None:
        gate.wait(10)  # a disk that takes its time
        real_sync(fd)
        synced.append(fd)

    monkeypatch.setattr(journal, "_SYNC", slow_sync)
    model, rec, _store = recorded(tmp_path)
    rec.set_modified(True)
    model.add_marks([stroke(300)])
    model.add_marks([stroke(320)])  # returns although the first sync is still waiting
    assert not synced
    assert len(entries(rec.writer.path)[-1]["add"]) == 1
    assert replay(entries(rec.writer.path))[0].marks == model.document().marks
    assert not rec.writer.sync(timeout=0.05)  # not yet on the disk
    gate.set()
    assert rec.writer.sync(timeout=10)
    assert synced  # entries written meanwhile share a sync
    rec.close(discard=False)


def test_close_syncs_what_is_left_and_a_failed_sync_is_reported(tmp_path, monkeypatch):
    calls: list[int] = []
    real_sync = journal._SYNC

    def counting(fd: int) -> None:
        calls.append(fd)
        real_sync(fd)

    monkeypatch.setattr(journal, "_SYNC", counting)
    model, rec, _store = recorded(tmp_path)
    errors: list[str | None] = []
    rec.on_error = errors.append
    rec.set_modified(True)
    writer = rec.writer
    model.add_marks([stroke(300)])
    assert writer.sync(timeout=10) and calls

    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(journal, "_SYNC", broken)
    model.add_marks([stroke(340)])
    assert writer.sync(timeout=10)
    monkeypatch.setattr(journal, "_SYNC", counting)
    model.add_marks([stroke(380)])  # the failed sync is said, and the journal rewritten whole
    assert errors and "Input/output" in errors[0]
    model.add_marks([stroke(420)])
    assert errors[-1] is None
    assert replay(entries(writer.path))[0].marks == model.document().marks
    n = len(calls)
    model.add_marks([stroke(460)])
    rec.close(discard=False)  # kept on the disk: the last entry synced before the close
    assert len(calls) > n
    assert replay(entries(writer.path))[0].marks == model.document().marks
