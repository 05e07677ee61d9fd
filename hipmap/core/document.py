"""The pain-drawing document (contract section 2): load, validate, save.

Validation is strict and total: any input either becomes a :class:`Document` or raises
:class:`~hipmap.core.errors.InputError` with the JSON path and a plain message. Nothing else
escapes (no KeyError, no RecursionError, no hang on huge input).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hipmap.core.errors import InputError
from hipmap.core.ids import ANSWERS, QUALITIES, REGIONS, VIEWS
from hipmap.i18n import _

FORMAT = "hipmap.drawing/1"
_FORMAT_RE = re.compile(r"^hipmap\.drawing/(\d+)(?:\.(\d+))?$")

# Limits that keep every command fast and bounded. A real drawing is far below them.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_MARKS = 5_000
MAX_POINTS_PER_STROKE = 20_000
MAX_POINTS_TOTAL = 200_000
MAX_WIDTH = 200.0
COORD_MIN, COORD_MAX = -1000.0, 2000.0
MAX_AGE = 130
MAX_DURATION_DAYS = 365 * 100
DEFAULT_INTENSITY = 5.0
#: The painted "ink" of all strokes together (each stroke's path length x width plus its
#: round caps, overlaps counted again): at most about four times the area of all four views
#: of the diagram painted over. A real drawing uses a fraction of it; the pathological ones
#: that cost minutes of geometry (5000 strokes 200 wide, random 20 000-point strokes) do not
#: fit. Together with the point limits it keeps every command within seconds.
MAX_INK = 10_000_000.0
#: patient fields and ``recorded_at`` are short, one-line texts (an id, a sex, a date)
MAX_PATIENT_TEXT = 100
MAX_RECORDED_AT = 64
#: integers longer than this are refused (Python cannot even print one of 4300 digits)
MAX_INT_DIGITS = 30

#: Characters no text in a document may hold: C0 controls other than tab, line feed and
#: carriage return, DEL, C1 controls, and lone surrogates (which cannot be written as UTF-8).
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: One-line fields (patient, recorded_at) also refuse tab and line breaks and the bidi
#: controls that make a text display as something else.
_BAD_LINE_CHAR = re.compile("[\t\n\r\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                            "\u2066-\u2069]")

_KNOWN_KEYS = ("format", "recorded_at", "patient", "marks", "answers")


@dataclass(frozen=True, slots=True)
class Stroke:
    """A brush path in one view's diagram coordinates. One point is a dab."""

    view: str
    points: tuple[tuple[float, float], ...]
    width: float
    intensity: float = DEFAULT_INTENSITY
    quality: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    #: False when the file gave no intensity (the default 5 is then used for the
    #: assessment, but never written back or exported as if the patient had said it)
    intensity_rated: bool = field(default=True, compare=False)

    kind = "stroke"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        out.update(kind="stroke", view=self.view, width=_num(self.width),
                   points=_points_json(self.points))
        if self.intensity_rated:
            out["intensity"] = _num(self.intensity)
        if self.quality:
            out["quality"] = self.quality
        return out


@dataclass(frozen=True, slots=True)
class RegionMark:
    """"This whole region hurts" (or a fraction of it: ``coverage``)."""

    region: str
    intensity: float = DEFAULT_INTENSITY
    quality: str | None = None
    coverage: float = 1.0
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    intensity_rated: bool = field(default=True, compare=False)

    kind = "region"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        out.update(kind="region", region=self.region)
        if self.intensity_rated:
            out["intensity"] = _num(self.intensity)
        if self.quality:
            out["quality"] = self.quality
        if self.coverage != 1.0:
            out["coverage"] = _num(self.coverage)
        return out


Mark = Stroke | RegionMark


@dataclass(slots=True)
class Document:
    marks: list[Mark] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    patient: dict[str, Any] | None = None
    recorded_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # unknown top-level keys, kept

    @property
    def age(self) -> float | None:
        if self.answers.get("age") is not None:
            return float(self.answers["age"])
        if self.patient and isinstance(self.patient.get("age"), int | float):
            return float(self.patient["age"])
        return None

    def effective_answers(self) -> dict[str, Any]:
        """Answers with ``age`` filled in from the patient header when not answered."""
        out = {k: v for k, v in self.answers.items() if v is not None}
        if "age" not in out and self.age is not None:
            out["age"] = self.age
        return out

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": FORMAT}
        if self.recorded_at is not None:
            out["recorded_at"] = self.recorded_at
        if self.patient is not None:
            out["patient"] = self.patient
        out["marks"] = [m.to_json() for m in self.marks]
        out["answers"] = dict(self.answers)
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    def dumps(self) -> str:
        """Readable JSON: one line per top-level key and one line per mark."""
        obj = self.to_json()
        lines = []
        for key, value in obj.items():
            if key == "marks" and value:
                inner = ",\n".join("    " + _compact(m) for m in value)
                lines.append(f'  "marks": [\n{inner}\n  ]')
            else:
                lines.append(f"  {json.dumps(key)}: {_compact(value)}")
        return "{\n" + ",\n".join(lines) + "\n}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() and abs(v) < 1e15 else round(float(v), 3)


def _points_json(points: Iterable[tuple[float, float]]) -> list[list[float | int]]:
    """``[[_num(x), _num(y)], ...]`` without a call per number: a 500-stroke drawing is
    ~60 000 numbers, written on every autosave."""
    out: list[list[float | int]] = []
    append = out.append
    for x, y in points:
        x, y = float(x), float(y)
        append([int(x) if x.is_integer() and -1e15 < x < 1e15 else round(x, 3),
                int(y) if y.is_integer() and -1e15 < y < 1e15 else round(y, 3)])
    return out


# ----------------------------------------------------------------------------- loading

def load(path: str | os.PathLike[str]) -> Document:
    """Read and validate a document file ('-' is not handled here; see :func:`loads`)."""
    source = str(path)
    return loads(read_file_bytes(path, MAX_FILE_BYTES, source=source), source=source)


def read_file_bytes(path: str | os.PathLike[str], limit: int, *, source: str = "") -> bytes:
    """Read at most ``limit`` + 1 bytes of a regular file, never blocking.

    The file type is checked before opening (a FIFO would block ``open`` forever, a device
    never ends) and again on the open descriptor (the path may have changed in between).
    Raises :class:`InputError` with a plain reason for anything that is not a readable file.
    """
    source = source or str(path)
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(_("no such file"), source=source) from None
    except PermissionError:
        raise InputError(_("permission denied"), source=source) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise InputError(_("cannot read the file ({reason})").format(
            reason=_os_reason(exc)), source=source) from None
    _check_regular(st.st_mode, source)
    if st.st_size > limit:
        raise InputError(_too_large(limit), source=source)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(_("no such file"), source=source) from None
    except PermissionError:
        raise InputError(_("permission denied"), source=source) from None
    except OSError as exc:
        raise InputError(_("cannot read the file ({reason})").format(
            reason=_os_reason(exc)), source=source) from None
    try:
        _check_regular(os.fstat(fd).st_mode, source)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(_("cannot read the file ({reason})").format(
            reason=_os_reason(exc)), source=source) from None
    finally:
        os.close(fd)


def _check_regular(mode: int, source: str) -> None:
    import stat

    if stat.S_ISDIR(mode):
        raise InputError(_("is a folder (directory), not a document"), source=source)
    if not stat.S_ISREG(mode):
        kind = (_("a named pipe (FIFO)") if stat.S_ISFIFO(mode) else
                _("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
                _("a socket") if stat.S_ISSOCK(mode) else _("not a regular file"))
        raise InputError(_("is {kind}, not a document file").format(kind=kind), source=source)


def _os_reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


def _too_large(limit: int) -> str:
    return _("file is larger than {megabytes} MB; a pain drawing is far smaller").format(
        megabytes=limit // (1024 * 1024))


def loads(data: bytes | str, *, source: str = "<input>") -> Document:
    try:
        return from_json(parse_json(data), source=source)
    except InputError as exc:
        raise exc.with_source(source) from None


def parse_json(data: bytes | str) -> Any:
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise InputError(_too_large(MAX_FILE_BYTES))
        if b"\x00" in data[:8192]:
            raise InputError(_("this is a binary file, not a hipmap JSON document"))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                _("not UTF-8 text (bad byte at offset {offset}); expected a hipmap JSON "
                  "document").format(offset=exc.start)) from None
    else:
        if len(data) > MAX_FILE_BYTES:
            raise InputError(_too_large(MAX_FILE_BYTES))
        text = data
    if not text.strip():
        raise InputError(_("the file is empty; expected a hipmap JSON document"))

    def reject_constant(name: str) -> None:
        raise InputError(_("{name} is not allowed in a hipmap document").format(name=name))

    try:
        return json.loads(text, parse_constant=reject_constant, parse_int=_parse_int,
                          parse_float=_parse_float)
    except json.JSONDecodeError as exc:
        raise InputError(_("invalid JSON at line {line} column {column}: {problem}").format(
            line=exc.lineno, column=exc.colno, problem=exc.msg)
                         ) from None
    except RecursionError:
        raise InputError(_("JSON is nested too deeply")) from None


_PLAIN_NUMBERS = (int, float)


class _OutOfRange(str):
    """A JSON number that cannot be a number here (too many digits, or beyond a float).

    Kept in the parsed tree so that :func:`check_tree` can name its JSON path."""


def _parse_int(text: str) -> int | _OutOfRange:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return _OutOfRange(text)
    return int(text)


def _parse_float(text: str) -> float | _OutOfRange:
    value = float(text)
    return value if math.isfinite(value) else _OutOfRange(text)


def check_tree(obj: Any, path: str = "$") -> None:
    """Every string (key or value) and number anywhere in a parsed document is safe to keep,
    write and show: no control characters, no lone surrogates, no out-of-range numbers.
    Iterative, so a deep (but parseable) tree cannot exhaust the stack."""
    stack: list[tuple[Any, str]] = [(obj, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, _OutOfRange):
            digits = len(value.lstrip("-"))
            what = (_("a number of {digits} digits").format(
                digits=digits) if digits > MAX_INT_DIGITS and
                    value.lstrip("-").isdigit() else _("the number {value}").format(
                        value=_short(str(value))))
            raise InputError(_("{what} is out of range for a hipmap document").format(
                what=what), path=where)
        if isinstance(value, str):
            check_text(value, where)
        elif isinstance(value, dict):
            for key, item in value.items():
                child = _child(where, key)
                check_text(key, child)
                stack.append((item, child))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                kind = type(item)
                if kind is float or kind is int or kind is bool or item is None:
                    continue
                if kind is list and len(item) == 2 and type(item[0]) in _PLAIN_NUMBERS \
                        and type(item[1]) in _PLAIN_NUMBERS:  # a point: the bulk of a file
                    continue
                stack.append((item, f"{where}[{i}]"))


def check_text(text: str, path: str, *, one_line: bool = False,
               max_len: int | None = None) -> str:
    """Refuse text that cannot be written as UTF-8 or that could control a terminal."""
    bad = _BAD_CHAR.search(text) or (one_line and _BAD_LINE_CHAR.search(text))
    if bad:
        ch = bad.group()
        if "\ud800" <= ch <= "\udfff":
            raise InputError(_("holds a lone surrogate (U+{code}), which is not a character and "
                               "cannot be stored as UTF-8").format(
                                   code=f"{ord(ch):04X}"), path=path)
        raise InputError(_("holds a control character (U+{code}); hipmap refuses it so that no "
                           "text from a file can change what a screen shows").format(
                               code=f"{ord(ch):04X}"), path=path)
    if max_len is not None and len(text) > max_len:
        raise InputError(_("is {length} characters long; the limit is {limit}").format(
            length=len(text), limit=max_len), path=path)
    return text


def clean_line(text: str) -> str:
    """``text`` without the characters a one-line field refuses (for text typed or pasted
    in the app, where refusing would lose the user's typing)."""
    return _BAD_LINE_CHAR.sub("", _BAD_CHAR.sub("", text))


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if _is_ident(key) else f"{path}[{_short(key)}]"


def from_json(obj: Any, *, source: str = "<input>") -> Document:
    if not isinstance(obj, dict):
        raise InputError(_("the document must be a JSON object, not {type}").format(
            type=_type(obj)), path="$")
    check_tree(obj)
    fmt = obj.get("format")
    if fmt is None:
        raise InputError(_("missing \"format\" (expected \"{format}\")").format(
            format=FORMAT), path="$.format")
    if not isinstance(fmt, str) or not (m := _FORMAT_RE.match(fmt)):
        raise InputError(_("\"format\" must be \"{format}\", got {value}").format(
            format=FORMAT, value=_short(fmt)), path="$.format")
    if m.group(1) != "1":
        raise InputError(
            _("unsupported format version {value}: this hipmap reads {format} (a newer hipmap "
              "wrote this file)").format(value=repr(fmt), format=FORMAT), path="$.format")

    recorded_at = obj.get("recorded_at")
    if recorded_at is not None and not isinstance(recorded_at, str):
        raise InputError(_("must be an ISO 8601 date-time string"), path="$.recorded_at")
    if isinstance(recorded_at, str):
        check_text(recorded_at, "$.recorded_at", one_line=True, max_len=MAX_RECORDED_AT)
        _check_datetime(recorded_at)

    patient = obj.get("patient")
    if patient is not None:
        patient = _patient(patient)

    marks_obj = obj.get("marks", [])
    if not isinstance(marks_obj, list):
        raise InputError(_("must be a list of marks, not {type}").format(
            type=_type(marks_obj)), path="$.marks")
    if len(marks_obj) > MAX_MARKS:
        raise InputError(_("{n} marks is more than the limit of {limit}").format(
            n=len(marks_obj), limit=MAX_MARKS),
                         path="$.marks")
    total_points = 0
    ink = 0.0
    marks: list[Mark] = []
    for i, mo in enumerate(marks_obj):
        mark = _mark(mo, f"$.marks[{i}]")
        if isinstance(mark, Stroke):
            total_points += len(mark.points)
            if total_points > MAX_POINTS_TOTAL:
                raise InputError(
                    _("the drawing has more than {limit} points in all").format(
                        limit=MAX_POINTS_TOTAL),
                    path=f"$.marks[{i}].points")
            ink += stroke_ink(mark)
            if ink > MAX_INK:
                raise InputError(
                    _("the strokes up to here paint more than the limit of about four times "
                      "the whole diagram over (path length x brush width); a pain drawing "
                      "needs far less"), path=f"$.marks[{i}]")
        marks.append(mark)

    answers = validate_answers(obj.get("answers", {}))
    extra = {k: v for k, v in obj.items() if k not in _KNOWN_KEYS}
    return Document(marks=marks, answers=answers, patient=patient,
                    recorded_at=recorded_at, extra=extra)


def stroke_ink(stroke: Stroke) -> float:
    """Path length x brush width plus the round caps: the area a stroke paints, counting
    its own overlaps (an upper bound that is cheap to compute)."""
    pts = stroke.points
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(pts))
    return length * stroke.width + math.pi * (stroke.width / 2.0) ** 2


def _check_datetime(value: str) -> None:
    from datetime import date, datetime

    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise InputError(_("{value} is not an ISO 8601 date-time").format(value=_short(value)),
                             path="$.recorded_at") from None


def _patient(p: Any) -> dict[str, Any]:
    return validate_patient(p)


def validate_patient(p: Any, path: str = "$.patient") -> dict[str, Any]:
    """The patient header: ``id`` a non-empty string (or a whole number), ``age`` 0-130,
    ``sex`` a string; every text in it one short line (the app validates edits with this)."""
    if not isinstance(p, dict):
        raise InputError(_("must be an object, not {type}").format(type=_type(p)), path=path)
    check_tree(p, path)
    pid = p.get("id")
    if pid is not None:
        if isinstance(pid, bool) or not isinstance(pid, str | int):
            raise InputError(_("must be a string, got {value}").format(
                value=_short(pid)), path=f"{path}.id")
        if isinstance(pid, str) and not pid.strip():
            raise InputError(_("must not be empty (leave \"id\" out when there is none)"),
                             path=f"{path}.id")
    if p.get("age") is not None:
        _number(p["age"], f"{path}.age", 0, MAX_AGE)
    if p.get("sex") is not None and not isinstance(p["sex"], str):
        raise InputError(_("must be a string such as \"female\" or \"male\""), path=f"{path}.sex")
    for key, value in p.items():
        if isinstance(value, str):
            check_text(value, _child(path, key), one_line=True, max_len=MAX_PATIENT_TEXT)
    return dict(p)


def validate_answers(a: Any, path: str = "$.answers") -> dict[str, Any]:
    """Check answer ids and types. ``null`` means not asked and is dropped."""
    if not isinstance(a, dict):
        raise InputError(_("must be an object of answers, not {type}").format(
            type=_type(a)), path=path)
    out: dict[str, Any] = {}
    for key, value in a.items():
        where = f"{path}.{key}" if _is_ident(key) else f"{path}[{json.dumps(key)}]"
        spec = ANSWERS.get(key)
        if spec is None:
            raise InputError(_("unknown answer id {value}{suggestion}").format(
                value=_short(key), suggestion=_suggest(key, ANSWERS)),
                             path=where)
        if value is None:
            continue
        kind = spec[0]
        if kind == "bool":
            if not isinstance(value, bool):
                raise InputError(_("must be true or false, got {value}").format(
                    value=_short(value)), path=where)
            out[key] = value
        else:
            limit = MAX_AGE if key == "age" else MAX_DURATION_DAYS
            _number(value, where, 0, limit)
            out[key] = value
    return out


def _mark(mo: Any, path: str) -> Mark:
    if not isinstance(mo, dict):
        raise InputError(_("a mark must be an object, not {type}").format(
            type=_type(mo)), path=path)
    kind = mo.get("kind")
    intensity = DEFAULT_INTENSITY
    rated = mo.get("intensity") is not None
    if rated:
        intensity = _number(mo["intensity"], f"{path}.intensity", 0, 10)
    quality = mo.get("quality")
    if quality is not None and (not isinstance(quality, str) or quality not in QUALITIES):
        raise InputError(
            _("unknown quality {value}; expected one of {choices}").format(
                value=_short(quality), choices=', '.join(QUALITIES)),
            path=f"{path}.quality")
    if kind == "stroke":
        known = ("kind", "view", "width", "points", "intensity", "quality")
        view = mo.get("view")
        if not isinstance(view, str) or view not in VIEWS:
            raise InputError(
                _("unknown view {value}; expected one of {choices}").format(
                    value=_short(view), choices=', '.join(VIEWS)),
                path=f"{path}.view")
        if "width" not in mo:
            raise InputError(_("a stroke needs a brush \"width\""), path=f"{path}.width")
        width = _number(mo["width"], f"{path}.width", 0, MAX_WIDTH)
        if width <= 0:
            raise InputError(_("the brush width must be greater than 0"), path=f"{path}.width")
        points = _points(mo.get("points"), f"{path}.points")
        return Stroke(view=view, points=points, width=width, intensity=intensity,
                      quality=quality, extra={k: v for k, v in mo.items() if k not in known},
                      intensity_rated=rated)
    if kind == "region":
        known = ("kind", "region", "intensity", "quality", "coverage")
        region = mo.get("region")
        if not isinstance(region, str) or region not in REGIONS:
            raise InputError(_("unknown region id {value}{suggestion}").format(
                value=_short(region), suggestion=_suggest(region, REGIONS)),
                             path=f"{path}.region")
        coverage = 1.0
        if mo.get("coverage") is not None:
            coverage = _number(mo["coverage"], f"{path}.coverage", 0, 1)
        return RegionMark(region=region, intensity=intensity, quality=quality,
                          coverage=coverage,
                          extra={k: v for k, v in mo.items() if k not in known},
                          intensity_rated=rated)
    if kind is None:
        raise InputError(_('a mark needs "kind": "stroke" or "region"'), path=f"{path}.kind")
    raise InputError(_("unknown mark kind {value}; expected \"stroke\" or \"region\"").format(
        value=_short(kind)),
                     path=f"{path}.kind")


def _points(pts: Any, path: str) -> tuple[tuple[float, float], ...]:
    if not isinstance(pts, list):
        raise InputError(_("must be a list of [x, y] points, not {type}").format(
            type=_type(pts)), path=path)
    if not pts:
        raise InputError(_("a stroke needs at least one point"), path=path)
    if len(pts) > MAX_POINTS_PER_STROKE:
        raise InputError(
            _("{n} points is more than the limit of {limit} per stroke").format(
                n=len(pts), limit=MAX_POINTS_PER_STROKE),
            path=path)
    out = []
    lo, hi = COORD_MIN, COORD_MAX
    for j, p in enumerate(pts):
        if type(p) is list and len(p) == 2:  # the fast path: plain numbers in range
            x, y = p
            tx, ty = type(x), type(y)
            if (tx is float or tx is int) and (ty is float or ty is int):
                x, y = float(x), float(y)
                if lo <= x <= hi and lo <= y <= hi:
                    out.append((x, y))
                    continue
        if not isinstance(p, list) or len(p) != 2:
            raise InputError(_("a point must be [x, y], got {value}").format(
                value=_short(p)), path=f"{path}[{j}]")
        x = _number(p[0], f"{path}[{j}][0]", COORD_MIN, COORD_MAX)
        y = _number(p[1], f"{path}[{j}][1]", COORD_MIN, COORD_MAX)
        out.append((x, y))
    return tuple(out)


def _number(v: Any, path: str, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise InputError(_("must be a number, got {value}").format(value=_short(v)), path=path)
    try:
        v = float(v)
    except OverflowError:
        raise InputError(_("is out of range"), path=path) from None
    if not math.isfinite(v):
        raise InputError(_("must be a finite number"), path=path)
    if v < lo or v > hi:
        raise InputError(_("{value} is out of range ({low} to {high})").format(
            value=_num(v), low=_num(lo), high=_num(hi)), path=path)
    return v


def _type(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "null"}.get(type(v), type(v).__name__)


def _short(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=True) if not isinstance(v, float) else repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_ident(key: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key))


def _suggest(value: Any, choices: Iterable[str]) -> str:
    import difflib

    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.75)
    return _(" (did you mean {choice}?)").format(choice=repr(close[0])) if close else ""


# ----------------------------------------------------------------------------- saving

def save(doc: Document, path: str | os.PathLike[str]) -> None:
    """Write atomically and verified: a crash, a full disk or a power cut leaves either the
    old file or the new one. Raises InputError (one line) when it cannot be written."""
    from hipmap.core.output import verify_json, write_text

    write_text(path, doc.dumps(), verify=verify_json)


def atomic_write_text(path: Path, text: str) -> None:
    """Create the folder if needed and write ``text`` atomically (see hipmap.core.output)."""
    from hipmap.core.output import write_text

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)
