"""The clinic record behind the window's document-store seam (hipmap.storage.documents),
on SQLite and PostgreSQL: visits open and save with their versions, a stale save is a
conflict carrying both drawings, the version a save expects is the store's own last one
(the autosave worker and the window share one store), the database journal, and the Qt-free
comparison of two drawings the conflict dialog shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import drawing

from hipmap.core.document import Document, from_json
from hipmap.model.journal import FileJournalStore
from hipmap.model.store import FileDocumentStore, JsonRecentList
from hipmap.model.store import VersionConflict as DocumentConflict
from hipmap.storage import open_store
from hipmap.storage.documents import (
    RecordConflict,
    RecordDocumentStore,
    compare,
    parse_ref,
    visit_ref,
)

HIP = {"kind": "region", "region": "right.lateral_hip", "intensity": 6}
KNEE = {"kind": "region", "region": "left.anterior_knee", "intensity": 4}
GROIN = {"kind": "region", "region": "right.groin", "intensity": 3}


def doc(*marks: dict, answers: dict | None = None, patient: str = "P-0001") -> Document:
    return from_json(drawing(patient, marks=list(marks), answers=answers or {}))


def records(url: str, tmp_path: Path, workstation: str = "desk-1") -> RecordDocumentStore:
    files = FileDocumentStore(FileJournalStore(tmp_path / f"journals-{workstation}"),
                              JsonRecentList(tmp_path / f"recent-{workstation}.json"))
    return RecordDocumentStore(open_store(url, user=f"dr-{workstation}",
                                          workstation=workstation), files)


def test_a_visit_opens_and_saves_as_new_versions(db_url, tmp_path):
    r = records(db_url, tmp_path)
    stored = r.add(doc(HIP), "P-0001")
    assert parse_ref(stored.ref) == 1 and stored.version == 1
    again = r.open(stored.ref)
    assert [m.to_json() for m in again.document.marks] == [HIP] and again.version == 1
    assert "P-0001" in r.name(stored.ref)
    # the worker and the window share the store: each save expects the store's own last
    # version, whatever older version the caller still holds
    assert r.save(doc(HIP, KNEE), stored.ref, expected=1).version == 2
    assert r.save(doc(HIP, KNEE, GROIN), stored.ref, expected=1).version == 3
    v = r.store.get_visit(1)
    assert v.version == 3 and "anterior_knee" in v.document and "groin" in v.document
    assert [x.version for x in r.store.revisions(1)] == [1, 2, 3]
    r.store.close()


def test_a_save_over_someone_elses_is_a_conflict_with_both_drawings(db_url, tmp_path):
    a, b = records(db_url, tmp_path, "desk-a"), records(db_url, tmp_path, "desk-b")
    ref = a.add(doc(HIP), "P-0001").ref
    b.open(ref)
    b.save(doc(HIP, KNEE), ref, expected=1)  # desk b saves version 2
    with pytest.raises(RecordConflict) as err:
        a.save(doc(HIP, GROIN), ref, expected=1)
    exc = err.value
    assert isinstance(exc, DocumentConflict)  # what the window's controller catches
    assert exc.detail.current.version == 2 and exc.detail.current.workstation == "desk-b"
    assert "anterior_knee" in exc.detail.theirs and "groin" in exc.detail.mine
    assert a.store.get_visit(1).version == 2  # nothing written
    # keep mine: saved over theirs as a new version; theirs stays in the revisions
    assert a.save_over(doc(HIP, GROIN), ref, 2).version == 3
    assert "anterior_knee" in a.store.revision_document(1, 2)
    assert "groin" in a.store.get_visit(1).document
    a.store.close()
    b.store.close()


def test_paths_still_go_to_files(db_url, tmp_path):
    r = records(db_url, tmp_path)
    path = str(tmp_path / "x.hipmap.json")
    stored = r.save(doc(HIP), path, expected=None)
    assert Path(path).is_file() and r.open(path).document.marks == stored.document.marks
    assert parse_ref(path) is None and r.recent() == [path]
    assert r.store.counts()["visits"] == 0
    r.store.close()


def test_the_database_journal_holds_unsaved_edits_until_the_save(db_url, tmp_path):
    r = records(db_url, tmp_path)
    ref = r.add(doc(HIP), "P-0001").ref
    r.journal_put(ref, doc(HIP))  # the same as saved: nothing to keep
    assert r.pending() == []
    r.journal_put(ref, doc(HIP, KNEE))
    [entry] = r.pending()
    assert entry.visit == 1 and entry.base_version == 1 and "anterior_knee" in entry.payload
    # another workstation does not see this one's journal
    other = records(db_url, tmp_path, "desk-2")
    assert other.pending() == []
    r.save(doc(HIP, KNEE), ref, expected=1)
    assert r.pending() == []  # saved: nothing left to offer after a crash
    r.store.close()
    other.store.close()


def test_a_recovered_drawing_knows_the_version_it_started_from(db_url, tmp_path):
    r = records(db_url, tmp_path)
    ref = r.add(doc(HIP), "P-0001").ref
    r.journal_put(ref, doc(HIP, KNEE))
    fresh = records(db_url, tmp_path)  # the app after the crash
    assert fresh.recovered_version(ref, []) == 1
    r.journal_clear(ref)
    r.save(doc(HIP, GROIN), ref, expected=1)
    later = records(db_url, tmp_path)
    # no database journal: the version of the visit when the local journal started
    assert later.recovered_version(ref, [{"t": "2000-01-01T00:00:00Z"}]) == 1
    assert later.recovered_version(ref, [{"t": "2999-01-01T00:00:00Z"}]) == 2
    assert later.recovered_version("/some/file.hipmap.json", []) is None
    for s in (r, fresh, later):
        s.store.close()


def test_compare_says_what_differs_region_by_region_and_answer_by_answer():
    mine = doc(HIP, {**KNEE, "intensity": 7}, answers={"age": 55, "night_pain": True})
    theirs = doc(KNEE, GROIN, answers={"age": 55, "night_pain": False, "fever_chills": False})
    d = compare(mine, theirs)
    assert d.only_mine == ("right.lateral_hip",)
    assert d.only_theirs == ("right.groin",)
    assert d.intensity == (("left.anterior_knee", 7.0, 4.0),)
    assert d.answers == (("fever_chills", None, False), ("night_pain", True, False))
    assert d.marks == (2, 2) and not d.none
    assert compare(mine, mine).none


def test_visit_refs_round_trip():
    assert parse_ref(visit_ref(12)) == 12
    assert parse_ref("visit:x") is None and parse_ref(None) is None


def test_the_overlay_classes_are_the_changes_hipmap_history_prints():
    from hipmap.storage.history import changes, region_classes

    before = [{"id": "right.lateral_hip", "coverage": 0.5, "intensity": 6},
              {"id": "right.lateral_thigh", "coverage": 0.2, "intensity": 4}]
    after = [{"id": "right.lateral_hip", "coverage": 0.3, "intensity": 3},
             {"id": "left.lateral_hip", "coverage": 0.1, "intensity": 2}]
    classes = region_classes(before, after)
    assert classes == {"left.lateral_hip": "new", "right.lateral_thigh": "resolved",
                       "right.lateral_hip": "unchanged"}
    ch = changes(before, after, 1)
    for key in ("new", "resolved", "unchanged"):
        assert sorted(r for r, c in classes.items() if c == key) == ch[key]
    assert region_classes([], []) == {}
    assert set(region_classes([], after).values()) == {"new"}
    assert set(region_classes(before, []).values()) == {"resolved"}
