"""Odd inputs get one clean line (issue 9, findings 7, 8, 9): FIFOs, devices and folders never
block or crash; huge numbers, wrong types anywhere, lone surrogates and control characters
are refused at load with their JSON path; nothing from a file reaches a terminal raw."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from hipmap.cli import main
from hipmap.core import document
from hipmap.core.document import Document, RegionMark
from hipmap.core.errors import InputError

BASE = {"format": "hipmap.drawing/1"}


def load_text(text: str) -> Document:
    return document.loads(text.encode("utf-8", "surrogatepass"), source="case.json")


def refused(text: str) -> str:
    with pytest.raises(InputError) as exc:
        load_text(text)
    msg = exc.value.one_line()
    assert "\n" not in msg and msg.startswith("case.json")
    return msg


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("HIPMAP_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "hipmap", *args], capture_output=True,
                          env=env, timeout=timeout)


# ----------------------------------------------------------------- finding 7: files that are not

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", [["assess"], ["export", "--fhir"]])
def test_a_fifo_as_input_is_refused_at_once_not_waited_on(tmp_path, command):
    fifo = tmp_path / "drawing.hipmap.json"
    os.mkfifo(fifo)
    t0 = time.monotonic()
    r = run(command[0], str(fifo), *command[1:], timeout=30)
    assert r.returncode == 2, r.stderr
    assert b"named pipe" in r.stderr and r.stderr.count(b"\n") == 1
    assert time.monotonic() - t0 < 25  # before: it hung for ever


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused_without_reading_it():
    with pytest.raises(InputError, match="is a device"):
        document.load("/dev/zero")


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="folder"):
        document.load(tmp_path)


# ----------------------------------------------------------------- finding 7: numbers and types

def test_an_integer_of_5000_digits_is_exit_2_with_its_path(tmp_path, capsys):
    f = tmp_path / "big.hipmap.json"
    f.write_text('{"format": "hipmap.drawing/1", "answers": {"age": ' + "9" * 5000 + "}}")
    assert main(["assess", str(f)]) == 2  # before: exit 1, "internal error: ValueError"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "$.answers.age" in err and "5000 digits" in err


@pytest.mark.parametrize("text, path", [
    ('{"format": "hipmap.drawing/1", "kept": [1, 2, 1' + "0" * 400 + "]}", "$.kept[2]"),
    ('{"format": "hipmap.drawing/1", "kept": {"x": 1e400}}', "$.kept.x"),
    ('{"format": "hipmap.drawing/1", "patient": {"age": 1' + "0" * 40 + "}}",
     "$.patient.age"),
    ('{"format": "hipmap.drawing/1", "marks": [{"kind": "stroke", "view": "back", '
     '"width": 5, "points": [[1e999, 2]]}]}', "$.marks[0].points[0][0]"),
])
def test_numbers_no_float_can_hold_are_refused_anywhere(text, path):
    msg = refused(text)
    assert path in msg and "out of range" in msg


@pytest.mark.parametrize("mark, path, words", [
    ({"kind": "region", "region": "right.groin", "quality": ["sharp"]}, "$.marks[0].quality",
     "unknown quality"),
    ({"kind": "region", "region": ["right.groin"]}, "$.marks[0].region", "unknown region"),
    ({"kind": "stroke", "view": {"v": 1}, "width": 5, "points": [[1, 1]]}, "$.marks[0].view",
     "unknown view"),
    ({"kind": ["stroke"]}, "$.marks[0].kind", "unknown mark kind"),
    ({"kind": "region", "region": "right.groin", "intensity": [5]}, "$.marks[0].intensity",
     "must be a number"),
])
def test_wrong_types_in_a_mark_name_the_path(mark, path, words):
    msg = refused(json.dumps({**BASE, "marks": [mark]}))
    assert path in msg and words in msg


@pytest.mark.parametrize("patient, path", [
    ({"id": True}, "$.patient.id"),
    ({"id": [1]}, "$.patient.id"),
    ({"id": {"x": 1}}, "$.patient.id"),
    ({"id": ""}, "$.patient.id"),
    ({"id": "x" * 1_000_000}, "$.patient.id"),
    ({"sex": 3}, "$.patient.sex"),
    ({"name": "a\tb"}, "$.patient.name"),
])
def test_a_patient_header_of_the_wrong_type_or_size_is_refused(patient, path):
    """Before: "patient": {"id": true} was accepted; a 1 MB id made report take 48 s."""
    assert path in refused(json.dumps({**BASE, "patient": patient}))


def test_the_quality_list_is_exit_2_not_an_internal_error(tmp_path, capsys):
    f = tmp_path / "q.hipmap.json"
    f.write_text(json.dumps({**BASE, "marks": [
        {"kind": "region", "region": "right.groin", "quality": ["sharp"]}]}))
    assert main(["assess", str(f)]) == 2
    assert "$.marks[0].quality" in capsys.readouterr().err


# ----------------------------------------------------------------- finding 8: lone surrogates

@pytest.mark.parametrize("where, path", [
    ('"patient": {"id": "\\ud800"}', "$.patient.id"),
    ('"notes": ["ok", "a\\udfffb"]', "$.notes[1]"),
    ('"marks": [{"kind": "region", "region": "right.groin", "note": "\\ud83d"}]',
     "$.marks[0].note"),
    ('"x": {"\\ud800": 1}', "$.x"),
])
def test_lone_surrogates_are_refused_at_load_with_the_path(where, path):
    msg = refused("{" + f'"format": "hipmap.drawing/1", {where}' + "}")
    assert path in msg and "surrogate" in msg


@pytest.mark.parametrize("command", [["assess"], ["assess", "--format", "json"],
                                     ["export", "--fhir"]])
def test_a_lone_surrogate_is_exit_2_for_every_command(tmp_path, capsys, command):
    f = tmp_path / "s.hipmap.json"
    f.write_text('{"format": "hipmap.drawing/1", "patient": {"id": "\\ud800"}}')
    assert main([command[0], str(f), *command[1:]]) == 2  # before: 1, UnicodeEncodeError
    assert "surrogate" in capsys.readouterr().err


def test_a_pair_of_surrogates_is_a_real_character_and_kept():
    doc = load_text('{"format": "hipmap.drawing/1", "patient": {"id": "P-\\ud83d\\ude00"}}')
    assert doc.patient == {"id": "P-\U0001F600"}


# ----------------------------------------------------------------- finding 9: control characters

@pytest.mark.parametrize("text", ["P\x1b[2J", "P\x07", "P\x9b31m", "P\x7f", "P\x00"])
def test_control_characters_are_refused_in_any_text(text):
    for doc in ({**BASE, "patient": {"id": text}}, {**BASE, "kept": {"deep": [text]}},
                {**BASE, "kept": {text: 1}}):
        assert "control character" in refused(json.dumps(doc))


def test_line_breaks_are_kept_in_free_text_but_not_in_the_patient_header():
    doc = load_text(json.dumps({**BASE, "notes": "line 1\nline 2\ttab"}))
    assert doc.extra["notes"] == "line 1\nline 2\ttab"
    assert "$.patient.id" in refused(json.dumps({**BASE, "patient": {"id": "P-1\nEMERGENCY"}}))
    assert "$.recorded_at" in refused(json.dumps({**BASE, "recorded_at": "2026-11-25\n"}))
    # a right-to-left override makes "P-1234" display as another id
    assert "$.patient.id" in refused(json.dumps({**BASE, "patient": {"id": "P-\u202e4321"}}))


def test_an_escape_sequence_in_the_patient_id_never_reaches_the_terminal(tmp_path):
    f = tmp_path / "esc.hipmap.json"
    f.write_text(json.dumps({**BASE, "patient": {"id": "A\x1b[2J\x1b[8mhidden"}}))
    r = run("assess", str(f))
    assert r.returncode == 2
    assert b"\x1b" not in r.stdout + r.stderr  # before: the ESC went to the terminal raw


def test_the_cli_text_output_escapes_control_characters_whatever_their_origin(capsys,
                                                                               monkeypatch):
    """Defence in depth: even a document built in memory (not loaded) cannot put a raw
    escape sequence on the terminal through assess's text or JSON output."""
    import hipmap.cli as cli

    doc = Document(marks=[RegionMark("right.groin")], patient={"id": "A\x1b[2J\x9b\u202e"})
    monkeypatch.setattr(cli, "_read_document", lambda _p: doc)
    for fmt in ("text", "json"):
        assert main(["assess", "x", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert not any(c in out for c in "\x1b\x9b\u202e"), fmt
        if fmt == "text":
            assert "A\\u001b[2J\\u009b\\u202e" in out
    doc.patient = None
    doc.extra = {"kept": "\x1b[2J"}
    monkeypatch.setattr(cli, "_read_document", lambda _p: doc)
    assert main(["export", "x", "--fhir"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert cli.terminal_safe("ok\nnext\x1b") == "ok\nnext\\u001b"


def test_an_error_line_escapes_a_file_name_with_an_escape_sequence(tmp_path, capsys):
    assert main(["assess", str(tmp_path / "x\x1b[2J.json")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\u001b[2J" in err


# ----------------------------------------------------------------- the app's model too

def test_the_model_refuses_a_patient_edit_that_could_not_be_saved():
    from hipmap.model.drawing import DrawingModel

    model = DrawingModel()
    for bad in ({"id": "\ud800"}, {"id": "A\x1b"}, {"id": True}, {"id": "x" * 500}):
        with pytest.raises(InputError):
            model.set_patient(bad)
    assert model.patient is None
    model.set_patient({"id": "P-1", "age": 40})
    assert document.loads(model.document().dumps()).patient == {"id": "P-1", "age": 40}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_opening_a_fifo_in_the_app_says_what_it_is(tmp_path, capsys):
    fifo = tmp_path / "drawing.hipmap.json"
    os.mkfifo(fifo)
    assert main([str(fifo)]) == 2  # `hipmap FILE`, as a file manager opens a drawing
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "named pipe" in err
