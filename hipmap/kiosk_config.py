"""The kiosk machine's own settings and its staff PIN (Qt-free; ``hipmap kiosk ...``).

Stored in the per-user data folder of the account the kiosk runs as (``hipmap.paths.data_dir``,
``HIPMAP_DATA_DIR`` overrides it), where that machine's administrator sets them with
``hipmap kiosk set-pin`` and ``hipmap kiosk config``:

* ``kiosk.json``: how a submission is identified (``identify``: ``code`` — a check-in code from
  the reception desk — or ``birth`` — date of birth and initials), the clinic's own wording of
  the red-flag instruction per language (``red_flag_text``), and the PIN as a salted
  ``hashlib.scrypt`` hash (never the PIN itself).
* ``kiosk-lockout.json``: wrong PIN tries and the end of a lockout (five wrong tries lock the
  PIN pad for five minutes), kept on disk so that restarting the kiosk does not reset it.

Nothing here is patient data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hipmap.core.errors import InputError
from hipmap.i18n import _
from hipmap.paths import data_dir

CONFIG_FILE = "kiosk.json"
LOCKOUT_FILE = "kiosk-lockout.json"
IDENTIFY_MODES = ("code", "birth")
MAX_TRIES = 5
LOCKOUT_SECONDS = 300.0
PIN_DIGITS = (4, 12)
#: scrypt cost: 16 MiB and ~50 ms per try on a small PC; a stolen hash of a short PIN is
#: still guessable offline, which is why the PIN only guards leaving the kiosk screen.
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def folder() -> Path:
    return data_dir()


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise InputError(_("the kiosk settings {path} cannot be read ({reason}): set them "
                           "again with 'hipmap kiosk config' and 'hipmap kiosk set-pin'").format(
                               path=path, reason=exc)) from None
    return data if isinstance(data, dict) else {}


# ============================================================================ the PIN

def hash_pin(pin: str, salt: bytes | None = None) -> dict[str, Any]:
    """The stored form of a PIN: a random salt and its scrypt hash (hex), with the costs."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, dklen=32, maxmem=64 * 2 ** 20,
                            **SCRYPT)
    return {"scheme": "scrypt", "salt": salt.hex(), "hash": digest.hex(), **SCRYPT}


def pin_matches(pin: str, stored: dict[str, Any]) -> bool:
    try:
        salt = bytes.fromhex(str(stored["salt"]))
        want = bytes.fromhex(str(stored["hash"]))
        digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, dklen=len(want),
                                n=int(stored["n"]), r=int(stored["r"]), p=int(stored["p"]),
                                maxmem=64 * 2 ** 20)
    except (KeyError, ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, want)


def check_pin_format(pin: str) -> str:
    pin = pin.strip()
    lo, hi = PIN_DIGITS
    if not (pin.isascii() and pin.isdigit() and lo <= len(pin) <= hi):
        raise InputError(_("a kiosk PIN is {low} to {high} digits (it is typed on the "
                           "kiosk's number pad)").format(low=lo, high=hi))
    return pin


# ============================================================================ the settings

@dataclass
class KioskConfig:
    identify: str = "code"
    red_flag_text: dict[str, str] = field(default_factory=dict)
    pin: dict[str, Any] | None = None
    where: Path | None = None

    @classmethod
    def load(cls, where: Path | None = None) -> KioskConfig:
        where = where or folder()
        data = _read_json(where / CONFIG_FILE)
        identify = data.get("identify", "code")
        texts = data.get("red_flag_text") or {}
        return cls(identify=identify if identify in IDENTIFY_MODES else "code",
                   red_flag_text={str(k): str(v) for k, v in texts.items() if str(v).strip()}
                   if isinstance(texts, dict) else {},
                   pin=data.get("pin") if isinstance(data.get("pin"), dict) else None,
                   where=where)

    def save(self) -> Path:
        where = self.where or folder()
        path = where / CONFIG_FILE
        _write_json(path, {"identify": self.identify, "red_flag_text": self.red_flag_text,
                           "pin": self.pin})
        return path

    def set_pin(self, pin: str) -> None:
        self.pin = hash_pin(check_pin_format(pin))

    def red_flag_instruction(self, language: str, default: str) -> str:
        """The clinic's wording for ``language`` (or its base language: ``es`` for
        ``es_MX``), else ``default`` (hipmap's own wording, translated)."""
        base = language.split("_")[0]
        for key in (language, base):
            if self.red_flag_text.get(key):
                return self.red_flag_text[key]
        return default

    def public(self) -> dict[str, Any]:
        """What ``hipmap kiosk config`` prints: everything but the hash."""
        return {"identify": self.identify, "red_flag_text": self.red_flag_text,
                "pin_set": self.pin is not None,
                "settings": str((self.where or folder()) / CONFIG_FILE)}


# ============================================================================ the lockout

@dataclass
class PinCheck:
    ok: bool
    locked_for: float = 0.0  #: seconds until the PIN pad opens again (0: not locked)
    tries_left: int = MAX_TRIES


class PinGuard:
    """Checks a PIN typed on the kiosk; five wrong tries lock it for five minutes. The count
    and the lockout live in a file, so a restart does not reset them."""

    def __init__(self, config: KioskConfig, *, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.clock = clock
        self.path = (config.where or folder()) / LOCKOUT_FILE

    def _state(self) -> tuple[int, float]:
        try:
            data = _read_json(self.path)
        except InputError:
            return MAX_TRIES, self.clock() + LOCKOUT_SECONDS  # tampered: lock, never open
        return int(data.get("failures", 0)), float(data.get("locked_until", 0.0))

    def locked_for(self) -> float:
        _failures, until = self._state()
        return max(0.0, until - self.clock())

    def check(self, pin: str) -> PinCheck:
        failures, until = self._state()
        now = self.clock()
        if until > now:
            return PinCheck(False, until - now, 0)
        if self.config.pin is not None and pin_matches(pin, self.config.pin):
            _write_json(self.path, {"failures": 0, "locked_until": 0.0})
            return PinCheck(True, 0.0, MAX_TRIES)
        failures += 1
        if failures >= MAX_TRIES:
            _write_json(self.path, {"failures": 0, "locked_until": now + LOCKOUT_SECONDS})
            return PinCheck(False, LOCKOUT_SECONDS, 0)
        _write_json(self.path, {"failures": failures, "locked_until": 0.0})
        return PinCheck(False, 0.0, MAX_TRIES - failures)
