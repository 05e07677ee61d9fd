"""Migrations: from an empty database, and from the revision before the newest (a test
revision is stacked on the shipped ones for that: the first shipped revision is the
baseline). An SQLite file is upgraded on first use; a server only by `hipmap db upgrade`,
and until then every command says so in one line."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import drawing
from sqlalchemy import inspect, text

from hipmap.cli import main
from hipmap.storage import SchemaError, open_store, upgrade_schema
from hipmap.storage import schema as s
from hipmap.storage.migrate import MIGRATIONS, known_revisions, script_head

NEXT = '''"""test only: a column added after the baseline"""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("patients") as b:
        b.add_column(sa.Column("nickname", sa.String(40)))


def downgrade():
    with op.batch_alter_table("patients") as b:
        b.drop_column("nickname")
'''


def test_the_head_known_without_alembic_is_the_scripts_head():
    assert s.HEAD == script_head() == known_revisions()[-1]


def test_upgrade_from_empty_creates_exactly_the_declared_schema(empty_db_url, capsys):
    assert main(["db", "upgrade", "--db", empty_db_url]) == 0
    assert f"schema {s.HEAD} (was empty)" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", empty_db_url]) == 0
    assert "already current" in capsys.readouterr().out
    with open_store(empty_db_url) as st:
        insp = inspect(st.engine)
        tables = set(insp.get_table_names()) - {"alembic_version"}
        assert tables == set(s.TABLES)
        for name in s.TABLES:
            declared = {c.name for c in s.metadata.tables[name].columns}
            assert {c["name"] for c in insp.get_columns(name)} == declared, name
        fks = {fk["name"] for fk in insp.get_foreign_keys("visits")}
        if st.backend == "postgresql":  # SQLite does not report constraint names
            assert "fk_visits_current_revision" in fks
        assert st.schema_revision() == s.HEAD


def test_an_sqlite_file_is_created_on_first_use(tmp_path):
    url = f"sqlite:///{tmp_path}/new.db"
    with open_store(url) as st:
        assert st.schema_revision() == s.HEAD
        st.add_visit(json.dumps(drawing()))


@pytest.fixture
def newer_scripts(tmp_path):
    """The shipped migrations plus one more, as the next hipmap would ship them."""
    loc = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, loc, ignore=shutil.ignore_patterns("__pycache__"))
    (loc / "versions" / "9001_test_next.py").write_text(NEXT.format(head=s.HEAD))
    return loc


def test_upgrade_from_the_previous_revision_keeps_the_data(db_url, newer_scripts, backend):
    with open_store(db_url) as old:  # a record at today's head, with a visit in it
        ref = old.add_visit(json.dumps(drawing("P-OLD")))
        old.save_visit(ref.visit, json.dumps(drawing("P-OLD", v=2)), expected_version=1)
    if backend == "postgresql":
        with pytest.raises(SchemaError) as e:
            open_store(db_url, migrations=newer_scripts)
        msg = str(e.value)
        assert "older hipmap schema" in msg and "hipmap db upgrade" in msg
        assert "\n" not in msg
        with open_store(db_url, migrations=newer_scripts, check_schema=False) as st:
            assert upgrade_schema(st) == (s.HEAD, "9001")
    with open_store(db_url, migrations=newer_scripts) as new:  # SQLite: upgraded here
        assert new.schema_revision() == "9001"
        assert json.loads(new.get_visit(ref.visit).document)["v"] == 2
        assert len(new.revisions(ref.visit)) == 2
        with new.engine.connect() as c:
            assert "nickname" in {col["name"] for col in inspect(c).get_columns("patients")}
    # The hipmap of today then refuses the newer schema in one clear line.
    with pytest.raises(SchemaError, match="newer hipmap"):
        open_store(db_url)


def test_a_server_at_an_older_schema_gets_one_clear_line(pg_server, newer_scripts, capsys,
                                                         monkeypatch):
    import uuid

    import hipmap.storage.store as store_mod

    name = f"hipmap_o_{uuid.uuid4().hex[:10]}"
    url = pg_server.create(name, template=pg_server.template)  # at today's head
    # The installed hipmap is the next one: its scripts have one more revision.
    real_open = store_mod.open_store
    monkeypatch.setattr(store_mod, "open_store",
                        lambda *a, **kw: real_open(*a, **{"migrations": newer_scripts, **kw}))
    try:
        assert main(["visits", "list", "--db", url]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "older hipmap schema" in err and "db upgrade" in err
        assert main(["db", "upgrade", "--db", url]) == 0
        assert "schema 9001 (was 0001)" in capsys.readouterr().out
        assert main(["visits", "list", "--db", url]) == 0
    finally:
        pg_server.drop(name)


def test_downgrade_to_empty_and_back(db_url):
    from alembic import command
    from alembic.config import Config

    with open_store(db_url) as st, st.engine.connect() as c:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = c
        command.downgrade(cfg, "base")
        c.commit()
        assert set(inspect(c).get_table_names()) <= {"alembic_version"}
        command.upgrade(cfg, "head")
        c.commit()
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == s.HEAD


def test_drawings_are_stored_with_lz4_on_postgresql(pg_server):
    import uuid

    name = f"hipmap_z_{uuid.uuid4().hex[:10]}"
    url = pg_server.create(name, template=pg_server.template)
    try:
        with open_store(url) as st:
            st.add_visit(json.dumps(drawing(x_pad="0123456789" * 1000)))
            with st.engine.connect() as c:
                method = c.execute(text("SELECT pg_column_compression(document) "
                                        "FROM revisions")).scalar()
        assert method == "lz4"
    finally:
        pg_server.drop(name)
