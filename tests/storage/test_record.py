"""The record's API as the app and the kiosk use it, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from conftest import drawing
from sqlalchemy import text

from hipmap.core.errors import InputError
from hipmap.storage import (
    BadRecordInput,
    CheckIn,
    NotFound,
    VersionConflict,
    open_store,
)


def dumps(doc: dict) -> str:
    return json.dumps(doc, indent=3) + "\n"


def test_a_visit_keeps_the_document_exactly_as_given(store):
    raw = dumps(drawing(x_unknown={"kept": [1, 2]}, x_top="yes"))
    ref = store.add_visit(raw)
    assert (ref.patient, ref.version) == ("P-0001", 1)
    v = store.get_visit(ref.visit)
    assert v.document == raw  # byte for byte: formatting and unknown keys
    assert v.source == "clinician" and v.patient == "P-0001" and v.version == 1
    assert v.recorded_at.isoformat() == "2026-11-20T09:00:00+00:00"
    assert v.assessment["format"] == "hipmap.assessment/1"
    assert v.urgency == v.assessment["urgency"]
    assert v.top_cause == v.assessment["ranking"][0]["cause"]
    assert v.knowledge_version == v.assessment["knowledge_base"]["version"]


def test_a_save_appends_a_revision_and_keeps_every_earlier_version(store):
    first = dumps(drawing())
    ref = store.add_visit(first)
    second = dumps(drawing(marks=[{"kind": "region", "region": "right.groin",
                                   "intensity": 3}]))
    assert store.save_visit(ref.visit, second, expected_version=1) == 2
    assert store.get_visit(ref.visit).document == second
    assert store.revision_document(ref.visit, 1) == first
    revs = store.revisions(ref.visit)
    assert [(r.version, r.action, r.saved_by, r.workstation) for r in revs] == [
        (1, "add", "tester", "desk-1"), (2, "update", "tester", "desk-1")]
    assert revs[0].saved_at <= revs[1].saved_at
    if store.backend == "postgresql":
        assert revs[0].db_user == "hipmap"  # the login role, as the server knows it


def test_a_stale_save_is_refused_with_who_when_and_both_versions(db_url):
    ours = open_store(db_url, user="ana", workstation="room-1")
    theirs = open_store(db_url, user="ben", workstation="room-2")
    ref = ours.add_visit(dumps(drawing()))
    ben_doc = dumps(drawing(x_by="ben"))
    assert theirs.save_visit(ref.visit, ben_doc, expected_version=1) == 2
    ana_doc = dumps(drawing(x_by="ana"))
    before = ours.counts()
    with pytest.raises(VersionConflict) as e:
        ours.save_visit(ref.visit, ana_doc, expected_version=1)
    c = e.value
    assert (c.visit, c.expected, c.current.version) == (ref.visit, 1, 2)
    assert (c.current.user, c.current.workstation) == ("ben", "room-2")
    assert c.theirs == ben_doc and c.mine == ana_doc
    assert c.exit_code == 3
    line = str(c)
    assert "\n" not in line and "ben on room-2" in line and "version 2" in line
    assert ours.counts() == before  # nothing saved
    assert ours.get_visit(ref.visit).document == ben_doc
    ours.close()
    theirs.close()


def test_the_patient_comes_from_the_argument_else_the_document(store):
    assert store.add_visit(dumps(drawing("P-7"))).patient == "P-7"
    ref = store.add_visit(dumps(drawing("P-7")), patient="P-8")
    assert ref.patient == "P-8"  # contract: --patient wins; the document stays as given
    assert json.loads(store.get_visit(ref.visit).document)["patient"]["id"] == "P-7"
    with pytest.raises(BadRecordInput, match="no patient"):
        store.add_visit(dumps(drawing(None)))
    with pytest.raises(BadRecordInput, match="patient id"):
        store.add_visit(dumps(drawing(None)), patient="bad\nid")
    # The header of a differently named document never describes the other patient.
    store.add_visit(dumps(drawing(None, patient_x=1) | {"patient": {"id": "Q", "sex": "male"}}),
                    patient="P-9")
    assert store.get_patient("P-9").sex is None


def test_bad_input_changes_nothing(store):
    store.add_visit(dumps(drawing()))
    before = store.counts()
    bad = dumps(drawing(marks=[{"kind": "region", "region": "right.elbow"}]))
    with pytest.raises(InputError, match=r"\$\.marks\[0\]\.region"):
        store.add_visit(bad)
    with pytest.raises(InputError):
        store.save_visit(1, "{not json", expected_version=1)
    with pytest.raises(NotFound):
        store.save_visit(999, dumps(drawing()), expected_version=1)
    with pytest.raises(BadRecordInput):
        store.get_visit("seven")
    assert store.counts() == before


def test_visits_are_listed_newest_first_and_by_patient(store):
    for pid, when in (("A", "2026-01-01T10:00:00Z"), ("B", "2026-03-01T10:00:00Z"),
                      ("A", "2026-02-01T10:00:00Z")):
        store.add_visit(dumps(drawing(pid, recorded_at=when)))
    assert [(v.patient, v.recorded_at.month) for v in store.list_visits()] == [
        ("B", 3), ("A", 2), ("A", 1)]
    assert [v.recorded_at.month for v in store.list_visits("A")] == [2, 1]
    assert store.list_visits("nobody") == []
    keys = list(store.list_visits()[0].to_json())
    assert keys == ["visit", "patient", "recorded_at", "source", "urgency", "top_cause",
                    "version"]


def test_patients_are_found_by_id_or_name_and_recent_ones_listed(store):
    store.open_patient("P-100", name="María López", birth_date="1960-04-02", sex="female")
    store.open_patient("P-200", name="John Smith")
    store.open_patient("X_1", name="100% sure")
    assert [p.id for p in store.search_patients("p-1")] == ["P-100"]
    assert [p.id for p in store.search_patients("lópez")] == ["P-100"]
    assert [p.id for p in store.search_patients("SMITH")] == ["P-200"]
    assert [p.id for p in store.search_patients("%")] == ["X_1"]  # a literal, not a wildcard
    assert [p.id for p in store.search_patients("x_")] == ["X_1"]
    assert store.search_patients("  ") == []
    assert store.get_patient("P-100").birth_date == "1960-04-02"
    with pytest.raises(BadRecordInput):
        store.open_patient("P-1", birth_date="02/04/1960")
    store.add_visit(dumps(drawing("P-200")))
    store.add_visit(dumps(drawing("P-100")))
    assert [p.id for p in store.recent_patients()] == ["P-100", "P-200"]
    store.save_visit(1, dumps(drawing("P-200")), expected_version=1)
    assert [p.id for p in store.recent_patients()] == ["P-200", "P-100"]


def test_a_kiosk_submission_waits_in_the_inbox_until_opened(store):
    flag_doc = json.loads((_examples() / "red_flag_cauda_equina.hipmap.json").read_text())
    flag_doc.pop("patient", None)
    first = store.submit_kiosk(dumps(drawing(None)), checkin=CheckIn(code="K-17"))
    second = store.submit_kiosk(dumps(flag_doc),
                                checkin=CheckIn(birth_date="1950-02-03", initials="JS"))
    store.add_visit(dumps(drawing()))  # a clinician's visit is not in the inbox
    inbox = store.inbox()
    assert [i.visit for i in inbox] == [first, second]  # oldest first
    urgent = inbox[1]
    assert urgent.urgency == "emergency"
    assert [f["id"] for f in urgent.red_flags] == ["cauda_equina"]
    assert urgent.red_flags[0]["message"]
    assert urgent.to_json()["source"] == "kiosk"
    assert urgent.to_json()["checkin"] == {"birth_date": "1950-02-03", "initials": "JS"}
    assert inbox[0].checkin.code == "K-17" and inbox[0].patient is None
    v = store.get_visit(first)
    assert v.source == "kiosk" and v.patient is None and v.version == 1
    assert store.revisions(first)[0].action == "submit"
    assert store.mark_opened(first, by="dr who") is True
    assert store.mark_opened(first) is False  # opened once, stays opened
    assert [i.visit for i in store.inbox()] == [second]
    assert store.get_visit(first).opened_by == "dr who"
    store.assign_patient(second, "P-55")
    assert store.get_visit(second).patient == "P-55"
    with pytest.raises(BadRecordInput, match="already belongs"):
        store.assign_patient(second, "P-56")
    with pytest.raises(BadRecordInput):
        CheckIn(code="no spaces allowed")
    with pytest.raises(NotFound):
        store.mark_opened(4242)


def test_a_saved_kiosk_submission_takes_the_patient_of_the_drawing(store):
    vid = store.submit_kiosk(dumps(drawing(None)))
    assert store.save_visit(vid, dumps(drawing("P-3")), expected_version=1) == 2
    assert store.get_visit(vid).patient == "P-3"


def test_the_inbox_watcher_sees_submissions_and_openings_only(db_url):
    desk = open_store(db_url, user="desk")
    kiosk = open_store(db_url, user="kiosk")
    with desk.watch_inbox(interval=0.05) as w:
        assert w.poll() is False
        desk.add_visit(dumps(drawing()))  # not an inbox change
        assert w.wait(0.5) is False
        vid = kiosk.submit_kiosk(dumps(drawing(None)))
        assert w.wait(10) is True
        assert w.poll() is False  # reported once
        desk.mark_opened(vid)
        assert w.wait(10) is True
        assert w.error is None
    desk.close()
    kiosk.close()


def test_revisions_are_append_only_in_the_database_itself(store):
    ref = store.add_visit(dumps(drawing()))
    for sql in ("UPDATE revisions SET document = '{}'", "DELETE FROM revisions"):
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as c:
            c.execute(text(sql))
    # A visit cannot point at a version that was never stored.
    with pytest.raises(Exception, match=r"(?i)foreign key"), store.engine.begin() as c:
        c.execute(text("UPDATE visits SET version = 2 WHERE id = :v"), {"v": ref.visit})
    assert store.get_visit(ref.visit).version == 1
    assert len(store.revisions(ref.visit)) == 1


def test_the_journal_keeps_unsaved_edits_per_workstation(db_url):
    a = open_store(db_url, workstation="ws-a")
    b = open_store(db_url, workstation="ws-b")
    ref = a.add_visit(dumps(drawing()))
    assert a.journal_get(ref.visit) is None
    a.journal_put(ref.visit, '{"edits": 1}', base_version=1)
    a.journal_put(ref.visit, '{"edits": 2}', base_version=1)  # replaces its own slot
    b.journal_put(ref.visit, '{"b": true}', base_version=1)
    got = a.journal_get(ref.visit)
    assert (got.payload, got.base_version, got.workstation) == ('{"edits": 2}', 1, "ws-a")
    assert [e.visit for e in a.journal_pending()] == [ref.visit]
    a.journal_clear(ref.visit)
    assert a.journal_get(ref.visit) is None
    assert b.journal_get(ref.visit).payload == '{"b": true}'
    a.close()
    b.close()


def _examples():
    from conftest import EXAMPLES

    return EXAMPLES


def test_the_self_test_writes_and_reads_a_record(db_url):
    from hipmap.storage.admin import self_test

    line = self_test(db_url)
    assert line.startswith("record OK") and "version 2" in line
    with open_store(db_url) as s:
        assert [v.version for v in s.list_visits("SELF-TEST")] == [2]
