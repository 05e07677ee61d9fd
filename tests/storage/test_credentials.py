"""A database password never lands in the app's settings: it goes to the OS keyring, or —
on a computer with no keyring backend — to the user's pgpass file (0600); the URL kept has
no password; sslmode is read from it."""

from __future__ import annotations

import os
import stat

import pytest

keyring = pytest.importorskip("keyring")

from keyring.backend import KeyringBackend  # noqa: E402
from keyring.backends import fail  # noqa: E402

from hipmap.storage import credentials as c  # noqa: E402

URL = "postgresql+psycopg://clin:s3cr:et@db.clinic.lan:5433/hipmap?sslmode=verify-full"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


@pytest.fixture
def no_keyring(tmp_path, monkeypatch):
    old = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    yield tmp_path / "pgpass"
    keyring.set_keyring(old)


def test_the_url_kept_has_no_password_and_says_its_sslmode():
    bare, pw = c.split_password(URL)
    assert pw == "s3cr:et" and "s3cr" not in bare and bare.startswith(
        "postgresql+psycopg://clin@db.clinic.lan:5433/hipmap")
    assert c.sslmode(URL) == "verify-full"
    assert c.sslmode("postgresql+psycopg://u@h/d") == "prefer"  # libpq's default
    assert c.sslmode("sqlite:///x.db") is None
    assert c.key_for(URL) == "clin@db.clinic.lan:5433/hipmap"


def test_the_password_goes_to_the_keyring(memory_keyring):
    kept = c.remember(URL)
    assert kept.where == "keyring" and "s3cr" not in kept.url
    assert memory_keyring.kept == {("hipmap", "clin@db.clinic.lan:5433/hipmap"): "s3cr:et"}
    # connecting: the password comes back for the connection only
    assert c.split_password(c.with_password(kept.url))[1] == "s3cr:et"


def test_without_a_keyring_it_says_so_and_uses_pgpass(no_keyring):
    assert not c.keyring_available()
    kept = c.remember(URL)
    assert kept.where == "pgpass" and "no keyring" in kept.note and "s3cr" not in kept.url
    assert no_keyring.read_text() == "db.clinic.lan:5433:hipmap:clin:s3cr\\:et\n"
    if os.name == "posix":
        assert stat.S_IMODE(no_keyring.stat().st_mode) == 0o600
    c.remember(URL.replace("s3cr:et", "new"))  # the same login: its line is replaced
    assert no_keyring.read_text() == "db.clinic.lan:5433:hipmap:clin:new\n"
    assert c.with_password(kept.url) == kept.url  # libpq reads pgpass itself


def test_a_url_without_a_password_is_kept_as_it_is(memory_keyring):
    kept = c.remember("postgresql+psycopg://clin@h/d")
    assert kept.where is None and memory_keyring.kept == {}
