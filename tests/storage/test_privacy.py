"""Privacy and least privilege: the embedded file is private to its user; a PostgreSQL kiosk
can submit and read nothing; passwords are never printed; sslmode is honoured."""

from __future__ import annotations

import json
import os
import stat
import uuid

import pytest
from conftest import drawing
from sqlalchemy import create_engine, text

from hipmap.cli import main
from hipmap.storage import open_store


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_embedded_record_is_private_to_its_user(tmp_path, monkeypatch):
    data = tmp_path / "home" / "data" / "hipmap"
    monkeypatch.setenv("HIPMAP_DATA_DIR", str(data))
    monkeypatch.delenv("HIPMAP_DB", raising=False)
    old = os.umask(0o022)  # a usual umask would make files world-readable
    try:
        s = open_store()
        s.add_visit(json.dumps(drawing()))
        with s.engine.connect():  # keep the WAL and shared-memory files in place
            db = data / "hipmap.db"
            assert s.where == str(db)
            assert mode(data) == 0o700 and mode(db) == 0o600
            for extra in ("hipmap.db-wal", "hipmap.db-shm"):
                assert mode(data / extra) == 0o600, extra
        s.close()
        data.chmod(0o755)  # loosened by hand: tightened again on the next start
        db.chmod(0o644)
        open_store().close()
        assert mode(data) == 0o700 and mode(db) == 0o600
    finally:
        os.umask(old)


def test_wal_foreign_keys_and_a_busy_timeout_are_on(tmp_path):
    with open_store(f"sqlite:///{tmp_path}/r.db") as s, s.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_a_missing_folder_is_bad_input(tmp_path, capsys):
    assert main(["visits", "list", "--db", f"sqlite:///{tmp_path}/no/such/r.db"]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and err.count("\n") == 1


@pytest.mark.parametrize("url, code", [
    ("mysql://root@localhost/x", 2), ("not a url at all", 2)])
def test_an_unsupported_url_is_one_line(url, code, capsys):
    assert main(["visits", "list", "--db", url]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_connection_failures_name_the_host_and_never_the_password(pg_server, capsys):
    secret = "s3cr3t-" + uuid.uuid4().hex[:6]
    closed = pg_server.base.set(password=secret, port=1).render_as_string(hide_password=False)
    assert main(["visits", "list", "--db", closed]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "127.0.0.1" in err and ":1/" in err
    assert secret not in err and "Traceback" not in err
    wrong = pg_server.url(pg_server.template, password=secret)
    assert main(["inbox", "--db", wrong]) == 1
    err = capsys.readouterr().err
    assert "password authentication failed" in err and secret not in err
    assert err.count("\n") == 1


def test_sslmode_in_the_url_is_honoured(pg_server, capsys):
    # The test server has no TLS: requiring it must fail, disabling it must work.
    url = pg_server.url(pg_server.template)
    assert main(["visits", "list", "--db", url + "?sslmode=disable"]) == 0
    capsys.readouterr()
    assert main(["visits", "list", "--db", url + "?sslmode=require"]) == 1
    err = capsys.readouterr().err
    assert "SSL" in err and err.count("\n") == 1


def test_a_server_database_without_the_schema_says_to_upgrade(pg_server, capsys):
    name = f"hipmap_n_{uuid.uuid4().hex[:10]}"
    url = pg_server.create(name)
    try:
        assert main(["visits", "list", "--db", url]) == 1
        err = capsys.readouterr().err
        assert "hipmap db upgrade" in err and err.count("\n") == 1
        assert main(["db", "upgrade", "--db", url]) == 0
        assert "0001" in capsys.readouterr().out
        assert main(["visits", "list", "--db", url]) == 0
    finally:
        pg_server.drop(name)


@pytest.fixture
def roles_db(pg_server, capsys):
    """A record with the role set applied and one login per role."""
    name = f"hipmap_roles_{uuid.uuid4().hex[:10]}"
    url = pg_server.create(name, template=pg_server.template)
    assert main(["db", "roles", "--apply", "--db", url]) == 0
    assert main(["db", "roles", "--apply", "--db", url]) == 0  # idempotent
    capsys.readouterr()
    tag = uuid.uuid4().hex[:8]
    users = {"clinician": f"alice_{tag}", "kiosk": f"kiosk_{tag}"}
    pg_server.sql(f"CREATE ROLE {users['clinician']} LOGIN PASSWORD 'pw-a' "
                  "IN ROLE hipmap_clinician")
    pg_server.sql(f"CREATE ROLE {users['kiosk']} LOGIN PASSWORD 'pw-k' IN ROLE hipmap_kiosk")
    urls = {"owner": url,
            "clinician": pg_server.url(name, username=users["clinician"], password="pw-a"),
            "kiosk": pg_server.url(name, username=users["kiosk"], password="pw-k")}
    yield urls, users
    pg_server.drop(name)
    for u in users.values():
        pg_server.sql(f"DROP ROLE IF EXISTS {u}")


def test_clinicians_read_and_write_and_revisions_record_the_login(roles_db):
    urls, users = roles_db
    with open_store(urls["clinician"], user="Dr Alice") as s:
        ref = s.add_visit(json.dumps(drawing("P-ROLE")))
        assert s.save_visit(ref.visit, json.dumps(drawing("P-ROLE", x=1)),
                            expected_version=1) == 2
        assert [v.visit for v in s.list_visits()] == [ref.visit]
        assert [r.db_user for r in s.revisions(ref.visit)] == [users["clinician"]] * 2
        vid = s.submit_kiosk(json.dumps(drawing(None)))
        assert s.mark_opened(vid)
        s.journal_put(ref.visit, "{}", base_version=2)
        s.journal_clear(ref.visit)
        with pytest.raises(Exception, match=r"permission denied|append-only"), \
                s.engine.begin() as c:
            c.execute(text("DELETE FROM revisions"))
        with pytest.raises(Exception, match=r"permission denied|append-only"), \
                s.engine.begin() as c:
            c.execute(text("UPDATE revisions SET document = '{}'"))


def test_the_kiosk_can_submit_and_read_nothing(roles_db, capsys):
    urls, users = roles_db
    with open_store(urls["owner"]) as owner:
        owner.add_visit(json.dumps(drawing("P-SECRET")))
    with open_store(urls["kiosk"], user="kiosk-1") as kiosk:
        vid = kiosk.submit_kiosk(json.dumps(drawing(None)))
        assert vid == 2
        for op in (kiosk.list_visits, kiosk.inbox, lambda: kiosk.get_visit(1),
                   lambda: kiosk.search_patients("P"), lambda: kiosk.get_patient("P-SECRET"),
                   lambda: kiosk.revisions(1)):
            with pytest.raises(Exception, match="permission denied"):
                op()
        engine = create_engine(urls["kiosk"])
        for sql in ("SELECT * FROM patients", "SELECT * FROM visits",
                    "SELECT * FROM revisions", "SELECT * FROM journal",
                    "INSERT INTO visits (recorded_at, source, version, created_at, updated_at)"
                    " VALUES (now(), 'kiosk', 1, now(), now())",
                    "UPDATE visits SET urgency = 'self_care'"):
            with pytest.raises(Exception, match="permission denied"), engine.begin() as c:
                c.execute(text(sql))
        engine.dispose()
    # Through the command line it is one line, exit 1, no traceback.
    assert main(["visits", "list", "--db", urls["kiosk"]]) == 1
    err = capsys.readouterr().err
    assert "permission denied" in err and err.count("\n") == 1
    with open_store(urls["owner"]) as owner:
        inbox = owner.inbox()
        assert [i.visit for i in inbox] == [vid]
        assert owner.revisions(vid)[0].db_user == users["kiosk"]


def test_db_roles_prints_the_sql_and_refuses_sqlite(pg_server, tmp_path, capsys):
    assert main(["db", "roles", "--db", pg_server.url(pg_server.template)]) == 0
    sql = capsys.readouterr().out
    assert "CREATE ROLE hipmap_kiosk NOLOGIN" in sql and "GRANT EXECUTE ON FUNCTION" in sql
    assert "REVOKE ALL ON ALL TABLES" in sql
    assert main(["db", "roles", "--db", f"sqlite:///{tmp_path}/x.db"]) == 2


def test_a_new_sqlite_record_uses_big_pages(tmp_path):
    with open_store(f"sqlite:///{tmp_path}/r.db") as s, s.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA page_size").scalar() == 16384
