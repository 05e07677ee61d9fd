"""Several writers never lose an update; a writer killed mid-transaction leaves a sound
record; a backup moves between SQLite and PostgreSQL unchanged."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from conftest import drawing

from hipmap.cli import main
from hipmap.storage import open_store

WORKER = Path(__file__).resolve().parent / "record_worker.py"
WRITERS, UPDATES = 8, 100


def test_concurrent_updates_of_one_visit_lose_nothing(db_url, tmp_path):
    with open_store(db_url) as s:
        ref = s.add_visit(json.dumps(drawing("P-RACE")))
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [subprocess.Popen([sys.executable, str(WORKER), "update", db_url, str(ref.visit),
                               str(UPDATES), f"w{k}", str(go), str(tmp_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for k in range(WRITERS)]
    time.sleep(1.0)  # let every writer import and connect, then start them together
    go.touch()
    results = {}
    for k, p in enumerate(procs):
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
        results[f"w{k}"] = json.loads(out)
    attempts = [(tag, r) for tag, rs in results.items() for r in rs]
    assert len(attempts) == WRITERS * UPDATES
    wins = [(tag, r) for tag, r in attempts if r["code"] == 0]
    refusals = [r for _, r in attempts if r["code"] != 0]
    for r in refusals:  # every refusal is a clean conflict: exit 3, one line
        assert r["code"] == 3, r
        assert r["err"].count("\n") == 1 and "was changed by" in r["err"], r
    versions = sorted(r["version"] for _, r in wins)
    assert versions == list(range(2, len(wins) + 2))  # each success a new version, no gaps
    with open_store(db_url) as s:
        v = s.get_visit(ref.visit)
        revs = s.revisions(ref.visit)
        assert v.version == len(wins) + 1 == len(revs)  # nothing lost, nothing extra
        for tag, r in wins[:: max(1, len(wins) // 25)]:  # each win's drawing is its version
            doc = json.loads(s.revision_document(ref.visit, r["version"]))
            assert doc["x_writer"] == f"{tag}-{r['i']}"
    print(f"{db_url.split(':')[0]}: {len(wins)} saved, {len(refusals)} conflicts")
    assert main(["db", "check", "--db", db_url]) == 0


def _start(mode: str, url: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.Popen([sys.executable, str(WORKER), mode, url], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def _intact(url: str, committed: dict[int, int]) -> int:
    with open_store(url) as s:
        for vid, seq in committed.items():
            v = s.get_visit(vid)
            assert json.loads(v.document)["x_seq"] == seq and v.version == 1
        return s.counts()["visits"]


def test_a_writer_killed_inside_a_transaction_leaves_a_sound_record(db_url, capsys):
    p = _start("hold", db_url)
    committed = {}
    for line in p.stdout:
        if line.startswith("committed"):
            _, vid, seq = line.split()
            committed[int(vid)] = int(seq)
        if line.strip() == "holding":
            break
    else:
        raise AssertionError(p.stderr.read()[-2000:])
    p.send_signal(signal.SIGKILL)
    p.wait(30)
    assert main(["db", "check", "--db", db_url]) == 0
    assert _intact(db_url, committed) == len(committed) == 3  # the open one is gone
    with open_store(db_url) as s:  # and its lock with it: the record takes writes again
        s.add_visit(json.dumps(drawing("P-AFTER")))
    assert main(["db", "check", "--db", db_url]) == 0
    capsys.readouterr()


def test_a_writer_killed_at_any_moment_loses_no_committed_visit(db_url):
    p = _start("loop", db_url)
    committed = {}
    for line in p.stdout:
        _, vid, seq = line.split()
        committed[int(vid)] = int(seq)
        if len(committed) >= 25:
            break
    p.send_signal(signal.SIGKILL)
    p.wait(30)
    assert main(["db", "check", "--db", db_url]) == 0
    n = _intact(db_url, committed)
    assert n in (len(committed), len(committed) + 1)  # +1: committed, not yet printed


def _backup_lines(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = [json.loads(x) for x in fh]
    header = lines[0]
    assert header["format"] == "hipmap.backup/1"
    return lines[1:]  # the header says when and from which backend; the rest must be equal


def test_backup_on_sqlite_restores_on_postgresql_identical_and_back(tmp_path, pg_server):
    sqlite_url = f"sqlite:///{tmp_path}/desk.db"
    with open_store(sqlite_url, user="ana", workstation="desk") as s:
        for k in range(3):
            ref = s.add_visit(json.dumps(drawing(f"P-{k}", x_unicode="ñandú ✓")))
            s.save_visit(ref.visit, json.dumps(drawing(f"P-{k}", v=2)), expected_version=1)
        vid = s.submit_kiosk(json.dumps(drawing(None)))
        s.mark_opened(vid)
        s.journal_put(1, '{"pending": true}', base_version=2)
        s.open_patient("P-0", name="Ana María")
    assert main(["db", "backup", "-o", str(tmp_path / "a.bak"), "--db", sqlite_url]) == 0
    name = f"hipmap_x_{uuid.uuid4().hex[:10]}"
    pg_url = pg_server.create(name, template=pg_server.template)
    try:
        assert main(["db", "restore", str(tmp_path / "a.bak"), "--db", pg_url]) == 0
        assert main(["db", "check", "--db", pg_url]) == 0
        assert main(["db", "backup", "-o", str(tmp_path / "b.bak"), "--db", pg_url]) == 0
        assert _backup_lines(tmp_path / "a.bak") == _backup_lines(tmp_path / "b.bak")
        back = f"sqlite:///{tmp_path}/back.db"
        assert main(["db", "restore", str(tmp_path / "b.bak"), "--db", back]) == 0
        assert main(["db", "backup", "-o", str(tmp_path / "c.bak"), "--db", back]) == 0
        assert _backup_lines(tmp_path / "c.bak") == _backup_lines(tmp_path / "a.bak")
        with open_store(pg_url) as s:  # numbering goes on after the restored rows
            assert s.add_visit(json.dumps(drawing("P-9"))).visit == vid + 1
    finally:
        pg_server.drop(name)


def test_a_damaged_backup_restores_nothing(tmp_path, db_url, capsys):
    with open_store(db_url) as s:
        s.add_visit(json.dumps(drawing()))
    assert main(["db", "backup", "-o", str(tmp_path / "ok.bak"), "--db", db_url]) == 0
    data = gzip.decompress((tmp_path / "ok.bak").read_bytes()).decode().splitlines()
    (tmp_path / "cut.bak").write_text("\n".join(data[:-1]) + "\n")  # no end line
    (tmp_path / "trunc.bak").write_bytes((tmp_path / "ok.bak").read_bytes()[:-20])
    capsys.readouterr()
    for i, bad in enumerate(("cut.bak", "trunc.bak")):
        target = f"sqlite:///{tmp_path}/t{i}.db"
        assert main(["db", "restore", str(tmp_path / bad), "--db", target]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and ("cut short" in err or "damaged" in err), err
        with open_store(target) as s:
            assert s.counts() == {"patients": 0, "visits": 0, "revisions": 0, "journal": 0}
