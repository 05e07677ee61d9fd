"""The record's commands (contract 1.1 §8) as a user and other programs meet them, on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, drawing

from hipmap.cli import main


@pytest.fixture
def hm(capsys, monkeypatch, db_url):
    monkeypatch.delenv("HIPMAP_DB", raising=False)
    monkeypatch.delenv("HIPMAP_DEBUG", raising=False)

    def run(*args, db=True):
        argv = [str(a) for a in args] + (["--db", db_url] if db else [])
        code = main(argv)
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def write(tmp_path, name, doc) -> str:
    p = tmp_path / name
    p.write_text(json.dumps(doc) if isinstance(doc, dict) else doc, encoding="utf-8")
    return str(p)


def test_the_contract_flow(hm, tmp_path):
    f = write(tmp_path, "d.json", drawing("P-CLI", x_kept={"a": 1}))
    code, out, _ = hm("visits", "add", f, "--format", "json")
    assert code == 0 and json.loads(out) == {"patient": "P-CLI", "visit": 1, "version": 1}
    code, out, _ = hm("visits", "show", "1")
    assert code == 0 and out == Path(f).read_text() + "\n"  # as given, unknown keys kept
    code, out, _ = hm("visits", "update", "1", f, "--if-version", "1", "--format", "json")
    assert code == 0 and json.loads(out) == {"patient": "P-CLI", "visit": 1, "version": 2}
    code, out, err = hm("visits", "update", "1", f, "--if-version", "1")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "changed by" in err and "version 2" in err
    assert "UTC" in err and "Traceback" not in err
    code, out, _ = hm("visits", "list", "--format", "json")
    rows = json.loads(out)
    assert rows == [{"visit": 1, "patient": "P-CLI", "recorded_at": "2026-11-20T09:00:00Z",
                     "source": "clinician", "urgency": rows[0]["urgency"],
                     "top_cause": rows[0]["top_cause"], "version": 2}]
    code, out, _ = hm("visits", "list")
    assert code == 0 and out.splitlines()[0].split() == [
        "visit", "patient", "recorded_at", "source", "urgency", "top_cause", "version"]
    code, out, _ = hm("visits", "revisions", "1", "--format", "json")
    assert [r["version"] for r in json.loads(out)] == [1, 2]
    code, out, _ = hm("visits", "show", "1", "--version", "1")
    assert code == 0 and json.loads(out)["x_kept"] == {"a": 1}
    code, out, _ = hm("db", "check")
    assert code == 0 and out.startswith("ok: ") and "1 visits, 2 revisions" in out


def test_db_may_come_before_or_after_the_command_or_from_the_environment(
        hm, db_url, tmp_path, monkeypatch, capsys):
    f = write(tmp_path, "d.json", drawing("P-1"))
    assert main(["--db", db_url, "visits", "add", f]) == 0
    assert hm("visits", "add", f)[0] == 0
    monkeypatch.setenv("HIPMAP_DB", db_url)
    assert main(["visits", "list", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_history_shows_the_course_and_what_changed(hm, tmp_path):
    marks1 = [{"kind": "region", "region": "right.buttock", "intensity": 7},
              {"kind": "region", "region": "right.posterior_thigh", "intensity": 6}]
    marks2 = [{"kind": "region", "region": "right.posterior_thigh", "intensity": 3},
              {"kind": "region", "region": "right.posterior_leg", "intensity": 2,
               "coverage": 0.5}]
    hm("visits", "add", write(tmp_path, "1.json",
                              drawing("P-H", marks=marks1, recorded_at="2026-10-01")))
    hm("visits", "add", write(tmp_path, "2.json",
                              drawing("P-H", marks=marks2, recorded_at="2026-11-01")))
    code, out, _ = hm("history", "P-H", "--format", "json")
    h = json.loads(out)
    assert code == 0 and h["patient"] == "P-H" and [v["visit"] for v in h["visits"]] == [1, 2]
    first, second = h["visits"]
    assert first["date"] == "2026-10-01T00:00:00Z" and first["changes"] is None
    assert {r["id"]: r["intensity"] for r in first["regions"]} == {
        "right.buttock": 7, "right.posterior_thigh": 6}
    assert first["groups"]["hip"]["intensity"] == 7 and first["groups"]["knee"] == {
        "area": 0, "intensity": 0}
    assert 0 < first["groups"]["thigh"]["area"] < 0.5  # one of eight thigh regions
    assert second["groups"]["below_knee"]["intensity"] == 2
    assert second["groups"]["below_knee"]["area"] < first["groups"]["thigh"]["area"]
    assert len(first["top_causes"]) == 3 and first["urgency"]
    ch = second["changes"]
    assert ch["since_visit"] == 1
    assert ch["new"] == ["right.posterior_leg"] and ch["resolved"] == ["right.buttock"]
    assert ch["unchanged"] == ["right.posterior_thigh"]
    assert ch["intensity"] == [{"id": "right.posterior_thigh", "before": 6, "after": 3}]
    code, out, _ = hm("history", "P-H")
    assert code == 0
    assert "RIGHT calf" in out and "new: RIGHT calf" in out
    assert "resolved: RIGHT buttock" in out and "RIGHT back of the thigh 6 -> 3" in out
    # the same wording as every other surface: causes by name with '37 %' (never 100 %)
    assert re.search(r"Leading causes: [A-Z][^,]+ (\d+|< 1|> 99) %", out), out
    assert "100 %" not in out and " 0 %" not in out
    code, _, err = hm("history", "P-NOBODY")
    assert code == 2 and "no patient P-NOBODY" in err and err.count("\n") == 1


def test_inbox_lists_kiosk_submissions_with_urgency_and_red_flags(hm, db_url):
    from hipmap.storage import CheckIn, open_store

    doc = json.loads((EXAMPLES / "red_flag_cauda_equina.hipmap.json").read_text())
    doc.pop("patient", None)
    with open_store(db_url) as s:
        vid = s.submit_kiosk(json.dumps(doc), checkin=CheckIn(code="A7"))
    code, out, _ = hm("inbox", "--format", "json")
    items = json.loads(out)
    assert code == 0 and [i["visit"] for i in items] == [vid]
    assert items[0]["source"] == "kiosk" and items[0]["urgency"] == "emergency"
    assert items[0]["red_flags"][0]["id"] == "cauda_equina"
    code, out, _ = hm("inbox")
    assert "EMERGENCY" in out and "RED FLAGS: cauda_equina" in out and "code A7" in out


def test_export_fhir_patient_has_every_visit_as_an_encounter(hm, tmp_path):
    f = write(tmp_path, "d.json", drawing("P-F"))
    hm("visits", "add", f)
    hm("visits", "add", f)  # the same drawing twice: still two visits
    hm("visits", "add", write(tmp_path, "o.json", drawing("P-OTHER")))
    out_file = tmp_path / "bundle.json"
    code, out, err = hm("export", "--fhir", "--patient", "P-F", "-o", out_file)
    assert code == 0, err
    b = json.loads(out_file.read_text())
    assert b["resourceType"] == "Bundle" and b["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in b["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("Encounter") == 2
    assert kinds.count("DocumentReference") == 2 and kinds.count("RiskAssessment") == 2
    urls = [e["fullUrl"] for e in b["entry"]]
    assert len(urls) == len(set(urls))
    patient = next(e for e in b["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["resource"]["identifier"][0]["value"] == "P-F"
    encounters = {e["fullUrl"] for e in b["entry"]
                  if e["resource"]["resourceType"] == "Encounter"}
    for e in b["entry"]:
        r = e["resource"]
        if r["resourceType"] in ("Observation", "RiskAssessment", "QuestionnaireResponse"):
            assert r["encounter"]["reference"] in encounters
            assert r["subject"]["reference"] == patient["fullUrl"]
    assert "P-OTHER" not in out_file.read_text()
    code, out, _ = hm("export", "--fhir", "--patient", "P-F")
    assert json.loads(out)["id"] == b["id"]  # deterministic
    code, _, err = hm("export", "--fhir", "--patient", "NOPE")
    assert code == 2 and err.count("\n") == 1


@pytest.mark.parametrize("args, needle", [
    (("visits", "add", "{missing}"), "no such file"),
    (("visits", "add", "{bad}"), "$.marks[0].intensity"),
    (("visits", "add", "{nopatient}"), "no patient"),
    (("visits", "update", "1", "{good}", "--if-version", "x"), "invalid int"),
    (("visits", "update", "77", "{good}", "--if-version", "1"), "no visit 77"),
    (("visits", "update", "1", "{bad}", "--if-version", "1"), "$.marks[0].intensity"),
    (("visits", "show", "abc"), "not a visit number"),
    (("visits", "list", "--patient", "x" * 80), "1 to 64"),
    (("db", "restore", "{good}"), "not a hipmap backup"),
    (("db", "backup", "-o", "{nodir}"), "folder does not exist"),
    (("export", "--fhir"), "--patient"),
])
def test_bad_input_exits_2_with_one_line_and_changes_nothing(hm, tmp_path, args, needle):
    good = write(tmp_path, "good.json", drawing("P-1"))
    assert hm("visits", "add", good)[0] == 0
    paths = {"missing": tmp_path / "nope.json", "good": good,
             "bad": write(tmp_path, "bad.json", drawing(marks=[
                 {"kind": "region", "region": "right.groin", "intensity": 11}])),
             "nopatient": write(tmp_path, "np.json", drawing(None)),
             "nodir": tmp_path / "no" / "backup"}
    code, _out, err = hm(*[a.format(**paths) for a in args])
    assert code == 2, err
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert hm("visits", "list", "--format", "json")[1].count('"visit"') == 1
    assert hm("visits", "show", "1")[1] == Path(good).read_text() + "\n"


def test_restore_refuses_a_database_that_is_not_empty(hm, tmp_path):
    hm("visits", "add", write(tmp_path, "d.json", drawing("P-R")))
    assert hm("db", "backup", "-o", tmp_path / "b")[0] == 0
    code, _out, err = hm("db", "restore", tmp_path / "b")
    assert code == 2 and "not empty" in err and err.count("\n") == 1
    assert json.loads(hm("visits", "list", "--format", "json")[1])[0]["version"] == 1


def test_a_backup_restores_into_an_empty_database_of_the_same_kind(hm, tmp_path, db_url,
                                                                    backend, request):
    f = write(tmp_path, "d.json", drawing("P-B"))
    hm("visits", "add", f)
    hm("visits", "update", "1", f, "--if-version", "1")
    code, out, _ = hm("db", "backup", "-o", tmp_path / "b.gz")
    assert code == 0 and "1 patients, 1 visits, 2 revisions" in out
    assert oct(os.stat(tmp_path / "b.gz").st_mode & 0o777) == "0o600"  # patient data
    if backend == "sqlite":
        target = f"sqlite:///{tmp_path}/restored.db"
    else:
        import uuid

        server = request.getfixturevalue("pg_server")
        name = f"hipmap_r_{uuid.uuid4().hex[:10]}"
        target = server.create(name, template=server.template)
        request.addfinalizer(lambda: server.drop(name))
    assert main(["db", "restore", str(tmp_path / "b.gz"), "--db", target]) == 0
    assert main(["visits", "show", "1", "--db", target]) == 0
    # A restored PostgreSQL database goes on numbering after the restored visits.
    assert main(["visits", "add", f, "--db", target, "--format", "json"]) == 0
    assert main(["db", "check", "--db", target]) == 0


def test_the_record_commands_run_as_processes(db_url, tmp_path):
    """End to end through `python -m hipmap`: exit codes and one-line errors."""
    env = {**os.environ, "HIPMAP_DB": db_url}
    env.pop("HIPMAP_DEBUG", None)
    f = write(tmp_path, "d.json", drawing("P-P"))

    def run(*args):
        return subprocess.run([sys.executable, "-m", "hipmap", *map(str, args)],
                              capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)

    assert run("visits", "add", f).returncode == 0
    assert run("visits", "update", "1", f, "--if-version", "1").returncode == 0
    r = run("visits", "update", "1", f, "--if-version", "1")
    assert r.returncode == 3 and r.stderr.count("\n") == 1 and r.stdout == ""
    r = run("visits", "show", "2")
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_assess_never_loads_the_database_layer():
    code = ("import sys; from hipmap.cli import main; "
            f"rc = main(['assess', {str(EXAMPLES / 'sciatica.hipmap.json')!r}, "
            "'--format', 'json']); "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'alembic', 'psycopg') or m.startswith('hipmap.storage')]; "
            "print('RC', rc, 'DB', bad, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert "RC 0 DB []" in r.stderr, r.stderr[-500:]


def test_db_check_finds_a_damaged_record(hm, tmp_path, db_url, backend):
    from sqlalchemy import text

    from hipmap.storage import open_store

    hm("visits", "add", write(tmp_path, "d.json", drawing("P-D")))
    assert hm("db", "check")[0] == 0
    with open_store(db_url) as s, s.engine.begin() as c:
        c.execute(text("UPDATE visits SET urgency = 'emergency'"))  # list no longer = drawing
    code, out, _ = hm("db", "check")
    assert code == 1 and "urgency/top cause emergency/" in out and "FAILED: 1 problem" in out
    # A visit pointing at a version that was never stored (only with the guards off).
    if backend == "sqlite":
        import sqlite3

        raw = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        raw.execute("UPDATE visits SET version = 5")  # foreign keys are off by default
        raw.close()
    else:
        with open_store(db_url) as s, s.engine.connect() as c:
            c.exec_driver_sql("SET session_replication_role = replica")
            c.exec_driver_sql("UPDATE visits SET version = 5")
            c.commit()
    code, out, _ = hm("db", "check")
    assert code == 1 and "visit 1 is at version 5 but has revisions 1..1" in out
