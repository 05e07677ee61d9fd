"""The document-store seam without Qt: open, save with the version read (a stale save is a
conflict and writes nothing), recent references, the journals beside them."""

from __future__ import annotations

import json
import os

import pytest

from hipmap.core.document import Document, RegionMark, load
from hipmap.core.errors import InputError
from hipmap.model.journal import FileJournalStore
from hipmap.model.store import (
    MAX_RECENT,
    DocumentStore,
    FileDocumentStore,
    JsonRecentList,
    VersionConflict,
)

DOC = Document([RegionMark("right.groin", 6)], {"worse_sitting": True}, patient={"id": "P-1"})


@pytest.fixture
def store(tmp_path) -> FileDocumentStore:
    return FileDocumentStore(FileJournalStore(tmp_path / "recovery"),
                             JsonRecentList(tmp_path / "recent.json"))


def test_the_file_store_is_a_document_store(store):
    assert isinstance(store, FileDocumentStore)
    s: DocumentStore = store  # the protocol a window talks to
    assert s.journals.orphans() == []


def test_save_then_open_gives_the_drawing_back_with_its_version(store, tmp_path):
    path = str(tmp_path / "a.hipmap.json")
    saved = store.save(DOC, path, expected=None)
    assert saved.ref == path and saved.name == "a.hipmap.json" and saved.version
    opened = store.open(path)
    assert opened.document.to_json() == DOC.to_json()
    assert opened.version == saved.version
    # saving again with the version read succeeds and gives a new version
    DOC2 = Document([RegionMark("left.groin", 3)])
    again = store.save(DOC2, path, expected=opened.version)
    assert again.version != opened.version
    assert load(path).to_json() == DOC2.to_json()


def test_a_file_changed_since_it_was_opened_is_a_conflict_and_is_not_overwritten(store,
                                                                               tmp_path):
    path = tmp_path / "a.hipmap.json"
    store.save(DOC, str(path), expected=None)
    opened = store.open(str(path))
    other = json.dumps({"format": "hipmap.drawing/1", "patient": {"id": "SOMEONE-ELSE"}})
    path.write_text(other)  # another program (or window) wrote it meanwhile
    os.utime(path, ns=(1, 1))  # even with an old time stamp: the size differs
    with pytest.raises(VersionConflict) as err:
        store.save(DOC, str(path), expected=opened.version)
    assert err.value.expected == opened.version and err.value.found != opened.version
    assert path.read_text() == other  # nothing written


def test_a_file_deleted_since_it_was_opened_is_a_conflict(store, tmp_path):
    path = tmp_path / "a.hipmap.json"
    opened = store.save(DOC, str(path), expected=None)
    path.unlink()
    with pytest.raises(VersionConflict):
        store.save(DOC, str(path), expected=opened.version)
    assert not path.exists()


def test_save_as_over_an_existing_file_needs_no_version(store, tmp_path):
    path = tmp_path / "a.hipmap.json"
    path.write_text(json.dumps({"format": "hipmap.drawing/1"}))
    store.save(DOC, str(path), expected=None)
    assert load(path).patient == {"id": "P-1"}


def test_bad_targets_and_bad_files_are_one_line_input_errors(store, tmp_path):
    with pytest.raises(InputError, match="folder"):
        store.save(DOC, str(tmp_path), expected=None)
    bad = tmp_path / "bad.hipmap.json"
    bad.write_text("{")
    with pytest.raises(InputError, match="invalid JSON"):
        store.open(str(bad))
    assert str(bad) not in store.recent()  # a file that could not be opened is not recent


def test_recent_is_newest_first_without_duplicates_and_bounded(store, tmp_path):
    paths = [str(tmp_path / f"d{i}.hipmap.json") for i in range(MAX_RECENT + 3)]
    for p in paths:
        store.save(DOC, p, expected=None)
    store.open(paths[0])
    recent = store.recent()
    assert recent[0] == paths[0] and len(recent) == MAX_RECENT == len(set(recent))
    assert recent[1:] == paths[::-1][:MAX_RECENT - 1]
    store.forget(paths[0])
    assert paths[0] not in store.recent()
    # kept across instances (the file behind it)
    again = FileDocumentStore(store.journals, JsonRecentList(tmp_path / "recent.json"))
    assert again.recent() == store.recent()


def test_a_damaged_recent_list_is_an_empty_one(tmp_path):
    f = tmp_path / "recent.json"
    f.write_text("not json")
    assert JsonRecentList(f).load() == []
    f.write_text('{"a": 1}')
    assert JsonRecentList(f).load() == []
