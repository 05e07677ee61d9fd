"""The kiosk's hand-off into the clinic record, end to end: ``hipmap --kiosk --self-test`` goes
through the real widgets by synthetic touch and submits into an SQLite file and into a real
PostgreSQL server logged in as a kiosk role (which may only submit); the clinician finds the
submission in ``hipmap inbox`` with source ``kiosk``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest

from hipmap.cli import main

pytestmark = pytest.mark.gui  # the self-test needs Qt (offscreen)


def _self_test(url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HIPMAP_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "hipmap", "--kiosk", "--self-test", "--db", url],
                          capture_output=True, text=True, timeout=300, env=env)


def _inbox(url: str, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["inbox", "--format", "json", "--db", url]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_self_test_submits_into_sqlite(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'record.db'}"
    done = _self_test(url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and "self-test OK" in done.stdout
    (item,) = _inbox(url, capsys)
    assert item["source"] == "kiosk" and item["checkin"] == {"code": "0000"}
    assert item["urgency"] in ("self_care", "see_clinician")


def test_the_self_test_submits_as_a_postgresql_kiosk_role_that_can_read_nothing(
        pg_server, capsys):
    name = f"hipmap_kiosk_{uuid.uuid4().hex[:10]}"
    owner = pg_server.create(name, template=pg_server.template)
    login = f"kiosk_{uuid.uuid4().hex[:8]}"
    try:
        assert main(["db", "roles", "--apply", "--db", owner]) == 0
        pg_server.sql(f"CREATE ROLE {login} LOGIN PASSWORD 'pw-k' IN ROLE hipmap_kiosk")
        kiosk = pg_server.url(name, username=login, password="pw-k")
        done = _self_test(kiosk)
        assert done.returncode == 0, done.stderr
        assert "cannot read it back" in done.stdout and "postgresql" in done.stdout
        (item,) = _inbox(owner, capsys)
        assert item["source"] == "kiosk" and item["checkin"] == {"code": "0000"}
        capsys.readouterr()
        assert main(["inbox", "--db", kiosk]) == 1  # the kiosk itself reads nothing
    finally:
        pg_server.drop(name)
        pg_server.sql(f"DROP ROLE IF EXISTS {login}")
