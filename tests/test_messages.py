"""Every way a document can be wrong gets its own exact line: the file, the JSON path, and
what is wrong, in words a user can act on (contract section 1: one clear line, exit 2).
The exact words matter: a message that loses the file name, the place or the reason is
a regression, even if it still contains a keyword."""

from __future__ import annotations

import os

import pytest

from hipmap.core import document
from hipmap.core.document import loads
from hipmap.core.errors import InputError

B = '{"format": "hipmap.drawing/1"'

CASES = [
    (b'',
     'd.json: the file is empty; expected a hipmap JSON document'),
    (b'   ',
     'd.json: the file is empty; expected a hipmap JSON document'),
    (b'\x00\x01',
     'd.json: this is a binary file, not a hipmap JSON document'),
    (b'\xff\xfe{',
     'd.json: not UTF-8 text (bad byte at offset 0); expected a hipmap JSON document'),
    ('{oops',
     'd.json: invalid JSON at line 1 column 2: Expecting property name enclosed in double quotes'),
    ('[1, 2]',
     'd.json: at $: the document must be a JSON object, not a list'),
    ('{"marks": []}',
     'd.json: at $.format: missing "format" (expected "hipmap.drawing/1")'),
    ('{"format": 3}',
     'd.json: at $.format: "format" must be "hipmap.drawing/1", got 3'),
    ('{"format": "hipmap.drawing/2"}',
     "d.json: at $.format: unsupported format version 'hipmap.drawing/2': this hipmap reads "
     "hipmap.drawing/1 (a newer hipmap wrote this file)"),
    (B + ', "x": NaN}',
     'd.json: NaN is not allowed in a hipmap document'),
    (B + ', "k": 10000000000000000000000000000000000000000}',
     'd.json: at $.k: a number of 41 digits is out of range for a hipmap document'),
    (B + ', "k": 1e999}',
     'd.json: at $.k: the number "1e999" is out of range for a hipmap document'),
    (B + ', "k": "a\\u0007b"}',
     'd.json: at $.k: holds a control character (U+0007); hipmap refuses it so that no text from a file can change what a screen shows'),
    (B + ', "k": "\\ud800"}',
     'd.json: at $.k: holds a lone surrogate (U+D800), which is not a character and cannot be stored as UTF-8'),
    (B + ', "recorded_at": 5}',
     'd.json: at $.recorded_at: must be an ISO 8601 date-time string'),
    (B + ', "recorded_at": "yesterday"}',
     'd.json: at $.recorded_at: "yesterday" is not an ISO 8601 date-time'),
    (B + ', "recorded_at": "2026-01-01\\n"}',
     'd.json: at $.recorded_at: holds a control character (U+000A); hipmap refuses it so that no text from a file can change what a screen shows'),
    (B + ', "patient": []}',
     'd.json: at $.patient: must be an object, not a list'),
    (B + ', "patient": {"id": []}}',
     'd.json: at $.patient.id: must be a string, got []'),
    (B + ', "patient": {"id": "  "}}',
     'd.json: at $.patient.id: must not be empty (leave "id" out when there is none)'),
    (B + ', "patient": {"age": 131}}',
     'd.json: at $.patient.age: 131 is out of range (0 to 130)'),
    (B + ', "patient": {"sex": 1}}',
     'd.json: at $.patient.sex: must be a string such as "female" or "male"'),
    (B + ', "patient": {"id": "' + "x" * 101 + '"}}',
     'd.json: at $.patient.id: is 101 characters long; the limit is 100'),
    (B + ', "marks": {}}',
     'd.json: at $.marks: must be a list of marks, not an object'),
    (B + ', "marks": [1]}',
     'd.json: at $.marks[0]: a mark must be an object, not a number'),
    (B + ', "marks": [{}]}',
     'd.json: at $.marks[0].kind: a mark needs "kind": "stroke" or "region"'),
    (B + ', "marks": [{"kind": "blob"}]}',
     'd.json: at $.marks[0].kind: unknown mark kind "blob"; expected "stroke" or "region"'),
    (B + ', "marks": [{"kind": "stroke"}]}',
     'd.json: at $.marks[0].view: unknown view null; expected one of front, back, right_side, left_side'),
    (B + ', "marks": [{"kind": "stroke", "view": "back"}]}',
     'd.json: at $.marks[0].width: a stroke needs a brush "width"'),
    (B + ', "marks": [{"kind": "stroke", "view": "back", "width": 0, "points": [[1, 2]]}]}',
     'd.json: at $.marks[0].width: the brush width must be greater than 0'),
    (B + ', "marks": [{"kind": "stroke", "view": "back", "width": 201, "points": [[1, 2]]}]}',
     'd.json: at $.marks[0].width: 201 is out of range (0 to 200)'),
    (B + ', "marks": [{"kind": "stroke", "view": "back", "width": 5}]}',
     'd.json: at $.marks[0].points: must be a list of [x, y] points, not null'),
    (B + ', "marks": [{"kind": "stroke", "view": "back", "width": 5, "points": []}]}',
     'd.json: at $.marks[0].points: a stroke needs at least one point'),
    (B + ', "marks": [{"kind": "stroke", "view": "back", "width": 5, "points": [[1]]}]}',
     'd.json: at $.marks[0].points[0]: a point must be [x, y], got [1]'),
    (B + ', "marks": [{"kind": "stroke", "view": "back", "width": 5, "points": [[1, "a"]]}]}',
     'd.json: at $.marks[0].points[0][1]: must be a number, got "a"'),
    (B + ', "marks": [{"kind": "stroke", "view": "back", "width": 5, "points": [[1, 9999]]}]}',
     'd.json: at $.marks[0].points[0][1]: 9999 is out of range (-1000 to 2000)'),
    (B + ', "marks": [{"kind": "stroke", "view": "bak", "width": 5, "points": [[1, 1]]}]}',
     'd.json: at $.marks[0].view: unknown view "bak"; expected one of front, back, right_side, left_side'),
    (B + ', "marks": [{"kind": "region", "region": "right.grion"}]}',
     'd.json: at $.marks[0].region: unknown region id "right.grion" (did you mean \'right.groin\'?)'),
    (B + ', "marks": [{"kind": "region", "region": "right.groin", "intensity": 11}]}',
     'd.json: at $.marks[0].intensity: 11 is out of range (0 to 10)'),
    (B + ', "marks": [{"kind": "region", "region": "right.groin", "intensity": true}]}',
     'd.json: at $.marks[0].intensity: must be a number, got true'),
    (B + ', "marks": [{"kind": "region", "region": "right.groin", "quality": "dull"}]}',
     'd.json: at $.marks[0].quality: unknown quality "dull"; expected one of shooting, burning, sharp, dull_ache, tingling, numbness'),
    (B + ', "marks": [{"kind": "region", "region": "right.groin", "coverage": 2}]}',
     'd.json: at $.marks[0].coverage: 2 is out of range (0 to 1)'),
    (B + ', "answers": []}',
     'd.json: at $.answers: must be an object of answers, not a list'),
    (B + ', "answers": {"worse_sittin": true}}',
     'd.json: at $.answers.worse_sittin: unknown answer id "worse_sittin" (did you mean \'worse_sitting\'?)'),
    (B + ', "answers": {"worse_sitting": 1}}',
     'd.json: at $.answers.worse_sitting: must be true or false, got 1'),
    (B + ', "answers": {"age": 131}}',
     'd.json: at $.answers.age: 131 is out of range (0 to 130)'),
    (B + ', "answers": {"duration_days": -1}}',
     'd.json: at $.answers.duration_days: -1 is out of range (0 to 36500)'),
    (B + ', "answers": {"x y": 1}}',
     'd.json: at $.answers["x y"]: unknown answer id "x y"'),
]


@pytest.mark.parametrize("data, message", CASES)
def test_each_problem_is_one_exact_line(data, message):
    with pytest.raises(InputError) as err:
        loads(data, source="d.json")
    assert err.value.one_line() == message
    assert str(err.value) == message and "\n" not in message


# ----------------------------------------------------------------- reading a file

def test_files_that_are_not_documents_are_named_with_the_reason(tmp_path):
    def message(path) -> str:
        with pytest.raises(InputError) as err:
            document.load(path)
        return err.value.one_line()

    assert message(tmp_path / "none.json") == f"{tmp_path / 'none.json'}: no such file"
    assert message(tmp_path) == f"{tmp_path}: is a folder (directory), not a document"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert message(fifo) == f"{fifo}: is a named pipe (FIFO), not a document file"
    assert message("/dev/null") == "/dev/null: is a device, not a document file"
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (document.MAX_FILE_BYTES + 1))
    assert message(big) == (f"{big}: file is larger than 20 MB; a pain drawing is far "
                            "smaller")
    locked = tmp_path / "locked.json"
    locked.write_text("{}")
    locked.chmod(0)
    if not os.access(locked, os.R_OK):  # (root reads anything)
        assert message(locked) == f"{locked}: permission denied"


def test_limits_are_named_with_their_numbers():
    mark = '{"kind": "stroke", "view": "back", "width": 5, "points": [[1, 1]]}'
    with pytest.raises(InputError) as err:
        loads(B + ', "marks": [' + ", ".join([mark] * (document.MAX_MARKS + 1)) + "]}",
              source="d.json")
    assert err.value.one_line() == "d.json: at $.marks: 5001 marks is more than the limit of 5000"
    points = ", ".join(["[1, 1]"] * (document.MAX_POINTS_PER_STROKE + 1))
    with pytest.raises(InputError) as err:
        loads(B + ', "marks": [{"kind": "stroke", "view": "back", "width": 5, "points": ['
              + points + "]}]}", source="d.json")
    assert err.value.one_line() == ("d.json: at $.marks[0].points: 20001 points is more than "
                                    "the limit of 20000 per stroke")
    stroke = ('{"kind": "stroke", "view": "back", "width": 5, "points": ['
              + ", ".join(["[1, 1]"] * 20000) + "]}")
    with pytest.raises(InputError) as err:
        loads(B + ', "marks": [' + ", ".join([stroke] * 11) + "]}", source="d.json")
    assert err.value.one_line() == ("d.json: at $.marks[10].points: the drawing has more than "
                                    "200000 points in all")


# ----------------------------------------------------------------- writing a file

def test_outputs_that_cannot_be_written_are_named_with_the_reason(tmp_path):
    from hipmap.core.output import check_target

    def message(path, inputs=()) -> str:
        with pytest.raises(InputError) as err:
            check_target(path, inputs=inputs)
        return err.value.one_line()

    assert message("") == "the output must be a file name, not a folder"
    assert message(f"{tmp_path}/") == f"{tmp_path}/: the output must be a file name, not a folder"
    assert message(tmp_path) == f"{tmp_path}: is a folder; give a file name for the output"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert message(fifo) == (f"{fifo}: is not a regular file (a device, pipe or socket); not "
                             "overwritten")
    doc = tmp_path / "d.json"
    doc.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(doc)
    assert message(link, inputs=[str(doc)]) == (
        f"{link}: is the input file itself; write the output to another file (the input is "
        "left untouched)")
    assert check_target(tmp_path / "new.png", inputs=[str(doc), "-"]) == tmp_path / "new.png"
    missing = tmp_path / "no" / "x.png"
    assert message(missing) == f"{missing}: the output folder does not exist"
    under_file = doc / "x.png"
    assert message(under_file) == f"{under_file}: the output folder does not exist"
    if os.geteuid() != 0:  # root may write anywhere
        ro = tmp_path / "ro.png"
        ro.write_text("x")
        ro.chmod(0o444)
        assert message(ro) == f"{ro}: is read-only; it was not overwritten"
        folder = tmp_path / "locked"
        folder.mkdir(mode=0o500)
        assert message(folder / "x.png") == (f"{folder / 'x.png'}: cannot write in the output "
                                             "folder (permission denied)")


@pytest.mark.parametrize("errno_name, words", [
    ("ENOSPC", "the disk is full; nothing was written and any old file is untouched"),
    ("EDQUOT", "the disk is full; nothing was written and any old file is untouched"),
    ("EACCES", "cannot write here (permission denied); nothing was written"),
    ("EPERM", "cannot write here (permission denied); nothing was written"),
    ("EROFS", "cannot write here (read-only file system); nothing was written"),
    ("EIO", "could not write the file (Input/output error); nothing was written"),
])
def test_a_failed_write_says_why_and_leaves_the_old_file(tmp_path, monkeypatch, errno_name,
                                                         words):
    import errno

    from hipmap.core import output

    target = tmp_path / "a.json"
    target.write_text("old")
    code = getattr(errno, errno_name)

    def fail(*_a, **_k):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(InputError) as err:
        output.write_bytes(target, b"{}")
    assert err.value.one_line() == f"{target}: {words}"
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == [
        "a.json"]


def test_a_file_that_reads_back_wrong_is_not_kept(tmp_path, monkeypatch):
    from hipmap.core import output

    target = tmp_path / "a.json"
    target.write_text("old")
    real_open = open

    def lying_open(path, mode="r", *a, **k):
        fh = real_open(path, mode, *a, **k)
        if "r" in mode and str(path).endswith(".part"):
            return __import__("io").BytesIO(b"{}garbage")
        return fh

    monkeypatch.setattr("builtins.open", lying_open)
    with pytest.raises(InputError) as err:
        output.write_bytes(target, b"{}")
    assert err.value.one_line() == (f"{target}: the written file did not read back the same; "
                                    "the old file is untouched")
    monkeypatch.undo()
    assert target.read_text() == "old"
    with pytest.raises(ValueError, match=r"a.json: the output is not valid \(not valid JSON"):
        output.write_bytes(target, b"{", verify=output.verify_json)


def test_each_limit_is_named_exactly_at_a_small_size(monkeypatch):
    """The same messages as above with the limits made small, so that the check is quick
    enough for mutation testing (the test above runs them at their real size)."""
    mark = '{"kind": "stroke", "view": "back", "width": 2, "points": [[1, 1], [5, 1]]}'

    def message(marks: list[str]) -> str:
        with pytest.raises(InputError) as err:
            loads(B + ', "marks": [' + ", ".join(marks) + "]}", source="d.json")
        return err.value.one_line()

    monkeypatch.setattr(document, "MAX_MARKS", 3)
    assert len(loads(B + ', "marks": [' + ", ".join([mark] * 3) + "]}").marks) == 3
    assert message([mark] * 4) == "d.json: at $.marks: 4 marks is more than the limit of 3"
    monkeypatch.setattr(document, "MAX_MARKS", 5000)
    monkeypatch.setattr(document, "MAX_POINTS_PER_STROKE", 3)
    long = '{"kind": "stroke", "view": "back", "width": 2, "points": [[1, 1], [2, 1], ' \
           '[3, 1], [4, 1]]}'
    assert message([long]) == ("d.json: at $.marks[0].points: 4 points is more than the "
                               "limit of 3 per stroke")
    monkeypatch.setattr(document, "MAX_POINTS_PER_STROKE", 20000)
    monkeypatch.setattr(document, "MAX_POINTS_TOTAL", 5)
    assert message([mark, mark, mark]) == ("d.json: at $.marks[2].points: the drawing has "
                                           "more than 5 points in all")
    monkeypatch.setattr(document, "MAX_POINTS_TOTAL", 200000)
    one = document.stroke_ink(document.Stroke("back", ((1.0, 1.0), (5.0, 1.0)), 2.0))
    monkeypatch.setattr(document, "MAX_INK", 2.5 * one)
    assert message([mark] * 3) == (
        "d.json: at $.marks[2]: the strokes up to here paint more than the limit of about "
        "four times the whole diagram over (path length x brush width); a pain drawing "
        "needs far less")


def test_the_ink_of_a_stroke_is_its_length_times_width_plus_the_round_caps():
    import math

    dot = document.Stroke("front", ((10.0, 10.0),), 6.0)
    assert document.stroke_ink(dot) == pytest.approx(math.pi * 9.0)  # a disc of radius 3
    line = document.Stroke("front", ((0.0, 0.0), (3.0, 4.0), (3.0, 10.0)), 2.0)
    assert document.stroke_ink(line) == pytest.approx(11.0 * 2.0 + math.pi)


def test_a_file_that_does_not_parse_is_named_by_its_path(tmp_path):
    bad = tmp_path / "broken.hipmap.json"
    bad.write_text('{"format": "hipmap.drawing/1", "marks": [{"kind": "blob"}]}')
    with pytest.raises(InputError) as err:
        document.load(bad)
    assert err.value.one_line() == (f'{bad}: at $.marks[0].kind: unknown mark kind "blob"; '
                                    'expected "stroke" or "region"')


@pytest.mark.parametrize("when", ["stat", "open"])
def test_a_file_that_may_not_be_read_says_permission_denied_with_its_name(tmp_path,
                                                                          monkeypatch, when):
    """(Tests run as root here, who may read anything: the refusal is made by hand.)"""
    locked = tmp_path / "locked.json"
    locked.write_text("{}")
    real = getattr(os, when)

    def refuse(path, *args, **kwargs):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(document.os, when, refuse)
    with pytest.raises(InputError) as err:
        document.load(locked)
    assert err.value.one_line() == f"{locked}: permission denied"


@pytest.mark.parametrize("when", ["stat", "open", "read"])
def test_a_file_the_system_cannot_read_gives_the_systems_reason(tmp_path, monkeypatch, when):
    """E.g. a network share that went away: the file's name and the system's own reason."""
    import errno

    path = tmp_path / "share.json"
    path.write_text("{}")
    real = getattr(os, when)

    def fail(first, *args, **kwargs):
        if when == "read" or str(first) == str(path):
            raise OSError(errno.EIO, "Input/output error")
        return real(first, *args, **kwargs)

    monkeypatch.setattr(document.os, when, fail)
    with pytest.raises(InputError) as err:
        document.read_file_bytes(path, 1000, source="the shared drawing")
    assert err.value.one_line() == ("the shared drawing: cannot read the file "
                                    "(Input/output error)")


def test_a_file_read_without_a_source_is_named_by_its_path(tmp_path):
    with pytest.raises(InputError) as err:
        document.read_file_bytes(tmp_path / "gone.json", 1000)
    assert err.value.one_line() == f"{tmp_path / 'gone.json'}: no such file"
    (tmp_path / "small.json").write_bytes(b"12345")
    assert document.read_file_bytes(tmp_path / "small.json", 1000) == b"12345"
    # a file that grows past the limit after the size check is cut at limit + 1 bytes
    assert document.read_file_bytes(tmp_path / "small.json", 5) == b"12345"
