"""The recovery journal without Qt: what the recorder writes for each edit, what replay gives
back, which journals are offered after a crash, compaction, keep-for-later and write errors.
(tests/gui/test_recovery.py drives the same through the window and a real kill -9.)"""

from __future__ import annotations

import json
import os

import pytest

from hipmap.core.document import Document, RegionMark, Stroke
from hipmap.core.errors import InputError
from hipmap.model import journal as jm
from hipmap.model.builders import erase_along, tap_region
from hipmap.model.drawing import DrawingModel
from hipmap.model.edits import AddMarks, RemoveMarks, SetAnswer, SetPatient
from hipmap.model.journal import FileJournalStore, Recorder, replay

STROKE = Stroke("back", tuple((385.0, float(y)) for y in range(180, 520, 20)), 16, intensity=7)


@pytest.fixture
def store(tmp_path) -> FileJournalStore:
    return FileJournalStore(tmp_path / "recovery")


def entries(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def journals(store: FileJournalStore) -> list:
    return sorted(store.folder.glob(f"*{jm.SUFFIX}")) if store.folder.exists() else []


def crash(rec: Recorder) -> None:
    """What a kill -9 leaves: the file, without its lock."""
    rec.writer.close(discard=False)
    rec.writer = None


def test_nothing_is_written_until_there_is_something_unsaved(store):
    model = DrawingModel()
    rec = Recorder(model, store)
    model.set_answer("age", 50)  # not yet modified in the window's eyes
    assert rec.writer is None and journals(store) == []
    rec.set_modified(True)
    assert rec.writer is not None and len(journals(store)) == 1
    (first,) = entries(rec.writer.path)
    assert first["op"] == "base" and first["n"] == 0 and first["doc"]["answers"] == {"age": 50}
    assert first["t"].endswith("Z") and first["modified"] is True


def test_each_edit_is_one_small_entry_and_replay_gives_the_drawing_back(store):
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    for edit in (AddMarks("Stroke", [STROKE]), tap_region(model, "right.groin", 4, "sharp")):
        edit.do(model)
    erase_along(model, "back", [(360.0, 300.0), (410.0, 300.0)], 20).do(model)
    SetAnswer("a", answer="worse_sitting", value=True).do(model)
    SetAnswer("a", answer="worse_sitting", value=None).do(model)  # cleared again
    SetAnswer("a", answer="age", value=61).do(model)
    SetPatient("p", patient={"id": "P-7", "sex": "female"}).do(model)
    model.set_recorded_at("2026-12-01T10:00:00Z")
    RemoveMarks("Empty", ids=[2]).do(model)
    rec.set_file("/tmp/x.hipmap.json")
    log = entries(rec.writer.path)
    ops = [e["op"] for e in log]
    assert ops == ["base", "marks", "marks", "marks", "answer", "answer", "answer",
                   "patient", "meta", "marks", "file"]
    assert [e["n"] for e in log] == list(range(len(log)))
    assert log[3]["remove"] == [1] and [i for i, _m in log[3]["add"]] == [3, 4]
    assert log[5] == {**log[5], "id": "worse_sitting", "value": None}
    doc, file, modified, kept = replay(log)
    assert doc.to_json() == model.document().to_json()
    assert (file, modified, kept) == ("/tmp/x.hipmap.json", True, False)
    assert not any("worse_sitting" in json.dumps(e.get("doc", {})) for e in log)


def test_replay_reads_every_kind_of_entry():
    mark = RegionMark("left.groin", 3).to_json()
    log = [
        {"op": "base", "doc": {"format": "hipmap.drawing/1", "marks": [mark, mark],
                               "answers": {"age": 40}, "patient": {"id": "A"},
                               "recorded_at": "2026-01-01"},
         "ids": [5, 9], "file": "a.json", "modified": False},
        {"op": "marks", "remove": [5], "add": [[12, RegionMark("right.groin", 8).to_json()]]},
        {"op": "answer", "id": "age", "value": None},
        {"op": "answer", "id": "worse_sitting", "value": False},
        {"op": "patient", "patient": {"id": "B"}},
        {"op": "meta", "recorded_at": "2026-02-02"},
        {"op": "file", "file": "b.json"},
        {"op": "state", "modified": True},
        {"op": "kept"},
        {"op": "something newer"},  # an entry a newer hipmap wrote: ignored
    ]
    doc, file, modified, kept = replay(log)
    assert [m.region for m in doc.marks] == ["left.groin", "right.groin"]  # ids 9, 12
    assert doc.answers == {"worse_sitting": False} and doc.patient == {"id": "B"}
    assert doc.recorded_at == "2026-02-02"
    assert (file, modified, kept) == ("b.json", True, True)
    empty = replay([])
    assert empty[0].marks == [] and empty[1:] == (None, False, False)


def test_a_damaged_drawing_in_a_journal_is_an_input_error():
    with pytest.raises(InputError, match="unknown region id"):
        replay([{"op": "base", "doc": {"format": "hipmap.drawing/1",
                                       "marks": [{"kind": "region", "region": "nowhere"}]}}])


def test_after_a_crash_the_journal_is_offered_with_patient_time_and_marks(store):
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    model.add_marks([STROKE, RegionMark("right.groin")])
    model.set_answer("worse_sitting", True)
    model.set_patient({"id": "P-42"})
    rec.set_file("/data/visit.hipmap.json")
    assert store.orphans() == []  # its window is alive (the lock is held)
    crash(rec)
    (orphan,) = store.orphans()
    assert orphan.doc.to_json() == model.document().to_json()
    assert orphan.patient_id == "P-42" and orphan.file == "/data/visit.hipmap.json"
    assert orphan.modified and not orphan.kept and orphan.entries == 5
    when = orphan.updated.replace("T", " ").removesuffix("Z") + " UTC"
    assert orphan.describe() == (f"patient P-42 — 2 marks, 1 answer — last change {when} — "
                                 "visit.hipmap.json")
    assert orphan.started <= orphan.updated


def test_an_unsaved_drawing_without_patient_or_file_is_described_so(store):
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    model.add_marks([STROKE])
    crash(rec)
    (orphan,) = store.orphans()
    assert orphan.patient_id is None
    assert orphan.describe().startswith("no patient id — 1 mark — last change ")
    assert orphan.describe().endswith(" — never saved")


def test_a_journal_with_nothing_unsaved_is_removed_not_offered(store, tmp_path):
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    model.add_marks([STROKE])
    rec.saved(str(tmp_path / "d.hipmap.json"))  # saved: base rewritten, modified false
    (base,) = entries(rec.writer.path)
    assert base["op"] == "base" and base["modified"] is False and base["n"] == 0
    assert base["file"] == str(tmp_path / "d.hipmap.json")
    crash(rec)
    assert store.orphans() == [] and journals(store) == []


def test_a_clean_close_discards_the_journal(store):
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    model.add_marks([STROKE])
    rec.close()
    assert journals(store) == [] and store.orphans() == []
    model.add_marks([STROKE])  # no longer listening
    assert journals(store) == []


def test_kept_for_later_and_claims(store):
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    model.add_marks([STROKE])
    crash(rec)
    (orphan,) = store.orphans()
    claim = store.claim(orphan.ref)
    assert claim is not None
    assert store.claim(orphan.ref) is None  # held: no other window can take it
    claim.keep()
    claim.release()
    (again,) = store.orphans()
    assert again.kept and again.entries == orphan.entries + 1
    claim = store.claim(again.ref)
    claim.discard()
    assert journals(store) == [] and store.claim(again.ref) is None


def test_torn_and_damaged_lines_are_skipped_and_a_bad_journal_is_kept_not_offered(store):
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    model.add_marks([STROKE])
    path = rec.writer.path
    crash(rec)
    with open(path, "ab") as fh:
        fh.write(b'{"op": "marks", "remove": [1], "ad')  # torn by a power cut
    (orphan,) = store.orphans()
    assert len(orphan.doc.marks) == 1
    bad = store.folder / f"bad{jm.SUFFIX}"
    bad.write_text(json.dumps({"op": "base", "modified": True, "doc": {
        "format": "hipmap.drawing/1", "marks": [{"kind": "region", "region": "x"}]}}) + "\n")
    refs = [o.ref for o in store.orphans()]
    assert "bad" not in refs and bad.exists()  # never offered, never deleted


def test_reset_rewrites_the_base_and_a_long_session_is_compacted(store, monkeypatch):
    monkeypatch.setattr(jm, "COMPACT_BYTES", 2000)
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    for _ in range(40):
        model.add_marks([STROKE])
        model.remove_marks(list(model.marks))
    log = entries(rec.writer.path)
    assert log[0]["op"] == "base" and len(log) < 40  # rewritten from the drawing
    assert rec.writer.size() == os.path.getsize(rec.writer.path)
    assert replay(log)[0].marks == []
    model.load(Document([RegionMark("left.groin")]))
    (base,) = entries(rec.writer.path)
    assert base["op"] == "base" and base["doc"]["marks"][0]["region"] == "left.groin"


def test_state_changes_are_recorded(store):
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    rec.set_modified(True)  # no change: nothing written
    model.add_marks([STROKE])
    rec.set_modified(False)  # an undo back to the saved state: a fresh base
    assert [e["op"] for e in entries(rec.writer.path)] == ["base"]
    rec.set_modified(True)
    assert [e["op"] for e in entries(rec.writer.path)] == ["base", "state"]
    rec.set_file(None)  # the same file: nothing written
    assert len(entries(rec.writer.path)) == 2


class FailingStore(FileJournalStore):
    fail = True

    def create(self):
        if self.fail:
            raise OSError(28, "No space left on device")
        return super().create()


def test_a_journal_that_cannot_be_written_says_so_and_recovers(tmp_path):
    seen: list = []
    store = FailingStore(tmp_path / "recovery")
    model = DrawingModel()
    rec = Recorder(model, store, on_error=seen.append)
    rec.set_modified(True)
    assert rec.writer is None and seen == ["No space left on device"]
    assert rec.last_error == "No space left on device"
    store.fail = False
    model.add_marks([STROKE])  # the next change starts the journal
    assert rec.writer is not None and seen == ["No space left on device", None]
    assert rec.last_error is None
    assert replay(entries(rec.writer.path))[0].marks == [STROKE]


def test_journal_files_are_private_and_listed_oldest_first(store):
    first = store.create()
    second = store.create()
    assert oct(os.stat(first.path).st_mode & 0o777) == "0o600"
    assert first.ref != second.ref and first.path.name.endswith(jm.SUFFIX)
    for w in (first, second):
        w.append({"n": 0, "t": jm.now_utc(), "op": "state", "modified": True})
        w.close(discard=False)
    found = store.orphans()
    assert {o.ref for o in found} == {first.ref, second.ref}
    assert [o.updated for o in found] == sorted(o.updated for o in found)
    (store.folder / f".hidden{jm.SUFFIX}").write_text("{}")  # a temporary file: not a journal
    assert {o.ref for o in store.orphans()} == {first.ref, second.ref}


def test_an_orphans_last_change_is_its_last_edit_not_a_later_keep_note():
    base = {"op": "base", "t": "2026-01-01T10:00:00Z",
            "doc": {"format": "hipmap.drawing/1", "marks": []}}
    edit = {"op": "answer", "t": "2026-01-01T11:00:00Z", "id": "worse_sitting", "value": True}
    kept = {"op": "kept", "t": "2026-01-01T12:00:00Z"}  # "keep it for later": no drawing change
    o = jm._orphan("ref", [base, edit, kept])
    assert (o.started, o.updated) == ("2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z")
    assert o.kept and o.entries == 3


def test_an_orphan_with_several_answers_counts_them_in_words():
    base = {"op": "base", "t": "2026-01-01T10:00:00Z",
            "doc": {"format": "hipmap.drawing/1", "marks": [],
                    "answers": {"worse_sitting": True, "age": 50}}}
    assert "0 marks, 2 answers" in jm._orphan("ref", [base]).describe()



def test_a_new_journal_is_synced_into_its_folder(store, monkeypatch):
    """After a power cut the journal must still be found: creating it syncs the folder's
    entry too, not only the file's contents."""
    import stat

    synced_dirs = []
    real_fsync = os.fsync

    def fsync(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            synced_dirs.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(jm.os, "fsync", fsync)
    writer = store.create()
    try:
        assert synced_dirs
    finally:
        writer.close(discard=True)


def test_a_journal_that_cannot_be_locked_tells_the_user_a_reason(store, monkeypatch):
    seen: list = []
    model = DrawingModel()
    rec = Recorder(model, store, on_error=seen.append)
    rec.set_modified(True)
    assert rec.writer is not None and seen == []
    monkeypatch.setattr(jm._Lock, "acquire", staticmethod(lambda fd: False))
    model.load(Document(marks=[RegionMark("right.groin")]))  # rewrites the journal
    assert seen and seen[-1] and seen[-1] != "None"  # the reason shown in the window
    monkeypatch.undo()
    rec.close(discard=True)


def test_the_marks_keep_their_ids_across_a_rewrite_so_later_edits_hit_the_right_mark(store):
    """After a save the journal starts again from a base whose marks are numbered as in the
    window (here 2 and 3, not 1 and 2): a later removal of mark 3 must remove that one."""
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    model.add_marks([RegionMark("right.groin", 2), RegionMark("left.groin", 5),
                     RegionMark("right.ischial", 8)])
    model.remove_marks([1])
    rec.saved("/tmp/drawing.hipmap.json")
    rec.set_modified(True)
    model.remove_marks([3])
    log = entries(rec.writer.path)
    assert [e["op"] for e in log] == ["base", "state", "marks"]
    assert log[0]["ids"] == [2, 3] and log[2]["remove"] == [3]
    doc, file, modified, _kept = replay(log)
    assert [m.region for m in doc.marks] == ["left.groin"]
    assert doc.to_json() == model.document().to_json()
    assert (file, modified) == ("/tmp/drawing.hipmap.json", True)


def test_a_base_entry_without_file_or_state_keeps_the_file_and_counts_as_saved():
    """A base entry written by an older hipmap names no file and no state: the file known
    so far stays, and the drawing in it counts as saved until a later entry says not."""
    log = [{"op": "file", "file": "a.json"}, {"op": "state", "modified": True},
           {"op": "base", "doc": {"format": "hipmap.drawing/1",
                                  "recorded_at": "2026-03-03T09:00:00Z"}}]
    doc, file, modified, kept = replay(log)
    assert (file, modified, kept) == ("a.json", False, False)
    assert doc.recorded_at == "2026-03-03T09:00:00Z"


def test_a_damaged_line_in_the_middle_loses_only_that_line(store):
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    model.add_marks([RegionMark("right.groin", 2)])
    path = rec.writer.path
    crash(rec)
    with open(path, "ab") as fh:
        fh.write(b'{"op": "marks", "remove": [1], "ad\xff\n')  # a damaged line, then more
        fh.write(json.dumps({"op": "marks", "remove": [], "add": [
            [7, RegionMark("left.groin", 6).to_json()]]}).encode() + b"\n")
    (orphan,) = store.orphans()
    assert [m.region for m in orphan.doc.marks] == ["right.groin", "left.groin"]


def test_a_saved_journal_before_an_unsaved_one_is_removed_and_the_unsaved_one_offered(store):
    store.folder.mkdir(parents=True)
    doc = {"format": "hipmap.drawing/1", "marks": [RegionMark("right.groin", 3).to_json()]}
    saved = store.folder / f"20260101-a{jm.SUFFIX}"
    saved.write_text(json.dumps({"op": "base", "doc": doc, "modified": False}) + "\n")
    unsaved = store.folder / f"20260101-b{jm.SUFFIX}"
    unsaved.write_text(json.dumps({"op": "base", "doc": doc, "modified": True}) + "\n")
    assert [o.ref for o in store.orphans()] == ["20260101-b"]
    assert not saved.exists() and unsaved.exists()


def test_a_live_windows_journal_does_not_hide_the_dead_ones_after_it(store):
    model = DrawingModel()
    live = Recorder(model, store)
    live.set_modified(True)  # this window's journal: locked, so it is nobody's orphan
    doc = {"format": "hipmap.drawing/1", "marks": [RegionMark("right.groin", 3).to_json()]}
    dead = store.folder / f"99990101-dead{jm.SUFFIX}"  # named to come after the live one
    dead.write_text(json.dumps({"op": "base", "doc": doc, "modified": True}) + "\n")
    assert sorted(p.name for p in journals(store))[0] == live.writer.path.name
    assert [o.ref for o in store.orphans()] == ["99990101-dead"]
    live.close()


def test_a_lock_that_cannot_be_taken_is_explained_in_words(store, monkeypatch):
    seen: list = []
    model = DrawingModel()
    rec = Recorder(model, store, on_error=seen.append)
    rec.set_modified(True)
    monkeypatch.setattr(jm._Lock, "acquire", staticmethod(lambda fd: False))
    model.load(Document(marks=[RegionMark("right.groin")]))  # rewrites the journal
    assert seen == ["could not lock the new journal"]
    other = Recorder(DrawingModel(), store, on_error=seen.append)
    other.set_modified(True)  # a second window cannot start its journal either
    assert seen[-1] == "could not lock the recovery journal" and other.writer is None
    monkeypatch.undo()
    rec.close(discard=True)


def test_a_short_session_is_not_compacted_before_it_is_four_times_its_base(store,
                                                                           monkeypatch):
    monkeypatch.setattr(jm, "COMPACT_BYTES", 1)  # only the 4 x base rule is left
    model = DrawingModel()
    rec = Recorder(model, store)
    rec.set_modified(True)
    model.add_marks([STROKE])
    base = rec.writer.size()
    model.set_answer("age", 40)  # a small entry: the file stays under 4 x its base
    log = entries(rec.writer.path)
    assert [e["op"] for e in log] == ["base", "marks", "answer"]
    assert rec.writer.size() < 4 * base
    rec.close()


def test_hidden_files_in_the_recovery_folder_are_never_offered(store):
    store.folder.mkdir(parents=True)
    doc = {"format": "hipmap.drawing/1", "marks": [RegionMark("right.groin", 3).to_json()]}
    hidden = store.folder / f".half-written{jm.SUFFIX}"  # a rewrite's temporary file
    hidden.write_text(json.dumps({"op": "base", "doc": doc, "modified": True}) + "\n")
    assert store.orphans() == [] and hidden.exists()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd (Linux)")
def test_looking_for_orphans_beside_a_live_window_leaks_no_file_descriptor(store):
    live = Recorder(DrawingModel(), store)
    live.set_modified(True)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        assert store.orphans() == []
    assert len(os.listdir("/proc/self/fd")) == before
    live.close()
