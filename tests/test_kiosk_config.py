"""The kiosk machine's settings and its staff PIN (Qt-free): hipmap kiosk set-pin / config."""

from __future__ import annotations

import io
import json

import pytest

from hipmap.cli import main
from hipmap.kiosk_config import (
    LOCKOUT_SECONDS,
    MAX_TRIES,
    KioskConfig,
    PinGuard,
    hash_pin,
    pin_matches,
)


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPMAP_DATA_DIR", str(tmp_path))
    return tmp_path


def test_set_pin_stores_only_a_salted_scrypt_hash(data, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("482916\n"))
    assert main(["kiosk", "set-pin"]) == 0
    raw = (data / "kiosk.json").read_text()
    assert "482916" not in raw
    stored = json.loads(raw)["pin"]
    assert stored["scheme"] == "scrypt" and len(bytes.fromhex(stored["salt"])) == 16
    assert pin_matches("482916", stored) and not pin_matches("482917", stored)
    # the same PIN twice gives two different hashes (a salt of its own each time)
    assert hash_pin("482916")["hash"] != hash_pin("482916")["hash"]
    assert "salted hash" in capsys.readouterr().out


@pytest.mark.parametrize("pin", ["12", "abcd", "1234567890123", "12 34", ""])
def test_a_bad_pin_is_one_line_and_exit_2(data, monkeypatch, capsys, pin):
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    assert main(["kiosk", "set-pin"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "4 to 12 digits" in err
    assert not (data / "kiosk.json").exists()


def test_config_sets_identification_and_wording(data, capsys):
    assert main(["kiosk", "config", "--identify", "birth", "--red-flag-text",
                 "Pulse el timbre rojo.", "--for-language", "es"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["identify"] == "birth" and shown["pin_set"] is False
    cfg = KioskConfig.load()
    assert cfg.red_flag_instruction("es_MX", "default") == "Pulse el timbre rojo."
    assert cfg.red_flag_instruction("en", "default") == "default"
    assert main(["kiosk", "config", "--red-flag-text", "", "--for-language", "es"]) == 0
    assert KioskConfig.load().red_flag_instruction("es", "default") == "default"
    assert main(["kiosk", "config", "--for-language", "fr", "--red-flag-text", "x"]) == 2


def test_the_lockout_is_kept_on_disk(data):
    cfg = KioskConfig.load()
    cfg.set_pin("2468")
    cfg.save()
    now = [5000.0]
    guard = PinGuard(cfg, clock=lambda: now[0])
    for i in range(MAX_TRIES - 1):
        assert guard.check("0000").tries_left == MAX_TRIES - 1 - i
    assert guard.check("0000").locked_for == LOCKOUT_SECONDS
    again = PinGuard(KioskConfig.load(), clock=lambda: now[0])  # a restart
    assert not again.check("2468").ok
    now[0] += LOCKOUT_SECONDS + 0.5
    assert again.check("2468").ok
    assert again.check("0000").tries_left == MAX_TRIES - 1  # the count started again


def test_a_tampered_lockout_file_locks(data):
    cfg = KioskConfig.load()
    cfg.set_pin("2468")
    cfg.save()
    (data / "kiosk-lockout.json").write_text("{not json")
    assert not PinGuard(cfg).check("2468").ok
