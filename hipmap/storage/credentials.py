"""A database password kept where passwords belong (Qt-free): the app keeps a clinic
database's URL in its settings WITHOUT the password; the password goes to the operating
system's keyring (``keyring``: Windows Credential Locker, macOS Keychain, the Secret Service
on Linux) or, on a computer with no keyring, to the user's pgpass file (0600), which libpq
reads by itself. Never into plain settings.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from hipmap.i18n import _
from hipmap.storage.errors import BadRecordInput

SERVICE = "hipmap"


@dataclass(frozen=True)
class Remembered:
    """Where a password went: ``keyring``, ``pgpass`` or None (there was none), and a line
    to tell the user."""

    url: str  #: the URL to keep in the settings: no password in it
    where: str | None
    note: str


def _url(url: str) -> URL:
    try:
        return make_url(url.strip())
    except Exception:
        raise BadRecordInput(_("this is not a database URL")) from None


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password (None when it has none)."""
    u = _url(url)
    return u._replace(password=None).render_as_string(hide_password=False), u.password


def key_for(url: str) -> str:
    """What names a server login in the keyring: ``user@host:port/database``."""
    u = _url(url)
    return f"{u.username or ''}@{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"


def sslmode(url: str) -> str | None:
    """The URL's sslmode (libpq's default, ``prefer``, when it names none), None for SQLite."""
    u = _url(url)
    if u.get_backend_name() != "postgresql":
        return None
    mode = u.query.get("sslmode")
    return str(mode) if mode else "prefer"


def keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    try:
        kr = keyring.get_keyring()
    except Exception:
        return False
    return not isinstance(kr, fail.Keyring) and getattr(kr, "priority", 1) > 0


def pgpass_path() -> Path:
    """libpq's password file: PGPASSFILE, else ~/.pgpass (%APPDATA%\\postgresql\\pgpass.conf
    on Windows)."""
    if os.environ.get("PGPASSFILE"):
        return Path(os.environ["PGPASSFILE"])
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def write_pgpass(url: str, password: str, path: Path | None = None) -> Path:
    """Add (or replace) this login's line in the pgpass file, kept 0600."""
    u = _url(url)
    path = path or pgpass_path()
    fields = [_esc(str(x)) for x in (u.host or "localhost", u.port or 5432, u.database or "*",
                                     u.username or "*")]
    prefix = ":".join(fields) + ":"
    lines = []
    if path.exists():
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                 if not ln.startswith(prefix)]
    lines.append(prefix + _esc(password))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    if os.name == "posix":
        path.chmod(0o600)
    return path


def remember(url: str) -> Remembered:
    """Take the password out of ``url`` and keep it in the keyring, else in pgpass."""
    bare, password = split_password(url)
    if not password:
        return Remembered(bare, None, "")
    if keyring_available():
        import keyring

        try:
            keyring.set_password(SERVICE, key_for(bare), password)
        except Exception as exc:  # a locked or refusing keyring: say so, use pgpass
            why = str(exc) or type(exc).__name__
        else:
            return Remembered(bare, "keyring", _("The password is kept in this computer's "
                                                 "keyring."))
    else:
        why = _("this computer has no keyring")
    path = write_pgpass(bare, password)
    return Remembered(bare, "pgpass", _("The password is kept in {path} (readable by you only): "
                                        "{why}.").format(path=path, why=why))


def with_password(url: str) -> str:
    """The URL to connect with: its password from the keyring when it has none (a pgpass
    password is found by libpq itself). Never stored."""
    u = _url(url)
    if u.password or u.get_backend_name() != "postgresql" or not keyring_available():
        return url
    import keyring

    try:
        password = keyring.get_password(SERVICE, key_for(url))
    except Exception:
        return url
    if not password:
        return url
    return u.set(password=password).render_as_string(hide_password=False)
