"""The pain-drawing document (contract section 2): load, validate, save.

Validation is strict and total: any input either becomes a :class:`Document` or raises
:class:`~hipmap.core.errors.InputError` with the JSON path and a plain message. Nothing else
escapes (no KeyError, no RecursionError, no hang on huge input).
"""

from __future__ import annotations

import contextlib
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

    kind = "stroke"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        out.update(kind="stroke", view=self.view, width=_num(self.width),
                   points=[[_num(x), _num(y)] for x, y in self.points],
                   intensity=_num(self.intensity))
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

    kind = "region"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        out.update(kind="region", region=self.region, intensity=_num(self.intensity))
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


# ----------------------------------------------------------------------------- loading

def load(path: str | os.PathLike[str]) -> Document:
    """Read and validate a document file ('-' is not handled here; see :func:`loads`)."""
    source = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file", source=source) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a document", source=source) from None
    except PermissionError:
        raise InputError("permission denied", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", source=source) from None
    return loads(data, source=source)


def loads(data: bytes | str, *, source: str = "<input>") -> Document:
    try:
        return from_json(parse_json(data), source=source)
    except InputError as exc:
        raise exc.with_source(source) from None


def parse_json(data: bytes | str) -> Any:
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise InputError(
                f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; "
                "a pain drawing is far smaller")
        if b"\x00" in data[:8192]:
            raise InputError("this is a binary file, not a hipmap JSON document")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-8 text (bad byte at offset {exc.start}); "
                "expected a hipmap JSON document") from None
    else:
        text = data
    if not text.strip():
        raise InputError("the file is empty; expected a hipmap JSON document")

    def reject_constant(name: str) -> None:
        raise InputError(f"{name} is not allowed in a hipmap document")

    try:
        return json.loads(text, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
                         ) from None
    except RecursionError:
        raise InputError("JSON is nested too deeply") from None


def from_json(obj: Any, *, source: str = "<input>") -> Document:
    if not isinstance(obj, dict):
        raise InputError(f"the document must be a JSON object, not {_type(obj)}", path="$")
    fmt = obj.get("format")
    if fmt is None:
        raise InputError(f'missing "format" (expected "{FORMAT}")', path="$.format")
    if not isinstance(fmt, str) or not (m := _FORMAT_RE.match(fmt)):
        raise InputError(f'"format" must be "{FORMAT}", got {_short(fmt)}', path="$.format")
    if m.group(1) != "1":
        raise InputError(
            f"unsupported format version {fmt!r}: this hipmap reads {FORMAT} "
            "(a newer hipmap wrote this file)", path="$.format")

    recorded_at = obj.get("recorded_at")
    if recorded_at is not None and not isinstance(recorded_at, str):
        raise InputError("must be an ISO 8601 date-time string", path="$.recorded_at")
    if isinstance(recorded_at, str):
        _check_datetime(recorded_at)

    patient = obj.get("patient")
    if patient is not None:
        patient = _patient(patient)

    marks_obj = obj.get("marks", [])
    if not isinstance(marks_obj, list):
        raise InputError(f"must be a list of marks, not {_type(marks_obj)}", path="$.marks")
    if len(marks_obj) > MAX_MARKS:
        raise InputError(f"{len(marks_obj)} marks is more than the limit of {MAX_MARKS}",
                         path="$.marks")
    total_points = 0
    marks: list[Mark] = []
    for i, mo in enumerate(marks_obj):
        mark = _mark(mo, f"$.marks[{i}]")
        if isinstance(mark, Stroke):
            total_points += len(mark.points)
            if total_points > MAX_POINTS_TOTAL:
                raise InputError(
                    f"the drawing has more than {MAX_POINTS_TOTAL} points in all",
                    path=f"$.marks[{i}].points")
        marks.append(mark)

    answers = validate_answers(obj.get("answers", {}))
    extra = {k: v for k, v in obj.items() if k not in _KNOWN_KEYS}
    return Document(marks=marks, answers=answers, patient=patient,
                    recorded_at=recorded_at, extra=extra)


def _check_datetime(value: str) -> None:
    from datetime import date, datetime

    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise InputError(f"{_short(value)} is not an ISO 8601 date-time",
                             path="$.recorded_at") from None


def _patient(p: Any) -> dict[str, Any]:
    if not isinstance(p, dict):
        raise InputError(f"must be an object, not {_type(p)}", path="$.patient")
    if "id" in p and p["id"] is not None and not isinstance(p["id"], str | int):
        raise InputError("must be a string", path="$.patient.id")
    if p.get("age") is not None:
        _number(p["age"], "$.patient.age", 0, MAX_AGE)
    if p.get("sex") is not None and not isinstance(p["sex"], str):
        raise InputError("must be a string such as \"female\" or \"male\"", path="$.patient.sex")
    return dict(p)


def validate_answers(a: Any, path: str = "$.answers") -> dict[str, Any]:
    """Check answer ids and types. ``null`` means not asked and is dropped."""
    if not isinstance(a, dict):
        raise InputError(f"must be an object of answers, not {_type(a)}", path=path)
    out: dict[str, Any] = {}
    for key, value in a.items():
        where = f"{path}.{key}" if _is_ident(key) else f"{path}[{json.dumps(key)}]"
        spec = ANSWERS.get(key)
        if spec is None:
            raise InputError(f"unknown answer id {_short(key)}{_suggest(key, ANSWERS)}",
                             path=where)
        if value is None:
            continue
        kind = spec[0]
        if kind == "bool":
            if not isinstance(value, bool):
                raise InputError(f"must be true or false, got {_short(value)}", path=where)
            out[key] = value
        else:
            limit = MAX_AGE if key == "age" else MAX_DURATION_DAYS
            _number(value, where, 0, limit)
            out[key] = value
    return out


def _mark(mo: Any, path: str) -> Mark:
    if not isinstance(mo, dict):
        raise InputError(f"a mark must be an object, not {_type(mo)}", path=path)
    kind = mo.get("kind")
    intensity = DEFAULT_INTENSITY
    if mo.get("intensity") is not None:
        intensity = _number(mo["intensity"], f"{path}.intensity", 0, 10)
    quality = mo.get("quality")
    if quality is not None and quality not in QUALITIES:
        raise InputError(
            f"unknown quality {_short(quality)}; expected one of {', '.join(QUALITIES)}",
            path=f"{path}.quality")
    if kind == "stroke":
        known = ("kind", "view", "width", "points", "intensity", "quality")
        view = mo.get("view")
        if view not in VIEWS:
            raise InputError(
                f"unknown view {_short(view)}; expected one of {', '.join(VIEWS)}",
                path=f"{path}.view")
        if "width" not in mo:
            raise InputError("a stroke needs a brush \"width\"", path=f"{path}.width")
        width = _number(mo["width"], f"{path}.width", 0, MAX_WIDTH)
        if width <= 0:
            raise InputError("the brush width must be greater than 0", path=f"{path}.width")
        points = _points(mo.get("points"), f"{path}.points")
        return Stroke(view=view, points=points, width=width, intensity=intensity,
                      quality=quality, extra={k: v for k, v in mo.items() if k not in known})
    if kind == "region":
        known = ("kind", "region", "intensity", "quality", "coverage")
        region = mo.get("region")
        if region not in REGIONS:
            raise InputError(f"unknown region id {_short(region)}{_suggest(region, REGIONS)}",
                             path=f"{path}.region")
        coverage = 1.0
        if mo.get("coverage") is not None:
            coverage = _number(mo["coverage"], f"{path}.coverage", 0, 1)
        return RegionMark(region=region, intensity=intensity, quality=quality,
                          coverage=coverage,
                          extra={k: v for k, v in mo.items() if k not in known})
    if kind is None:
        raise InputError('a mark needs "kind": "stroke" or "region"', path=f"{path}.kind")
    raise InputError(f'unknown mark kind {_short(kind)}; expected "stroke" or "region"',
                     path=f"{path}.kind")


def _points(pts: Any, path: str) -> tuple[tuple[float, float], ...]:
    if not isinstance(pts, list):
        raise InputError(f"must be a list of [x, y] points, not {_type(pts)}", path=path)
    if not pts:
        raise InputError("a stroke needs at least one point", path=path)
    if len(pts) > MAX_POINTS_PER_STROKE:
        raise InputError(
            f"{len(pts)} points is more than the limit of {MAX_POINTS_PER_STROKE} per stroke",
            path=path)
    out = []
    for j, p in enumerate(pts):
        if not isinstance(p, list) or len(p) != 2:
            raise InputError(f"a point must be [x, y], got {_short(p)}", path=f"{path}[{j}]")
        x = _number(p[0], f"{path}[{j}][0]", COORD_MIN, COORD_MAX)
        y = _number(p[1], f"{path}[{j}][1]", COORD_MIN, COORD_MAX)
        out.append((x, y))
    return tuple(out)


def _number(v: Any, path: str, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise InputError(f"must be a number, got {_short(v)}", path=path)
    v = float(v)
    if not math.isfinite(v):
        raise InputError("must be a finite number", path=path)
    if v < lo or v > hi:
        raise InputError(f"{_num(v)} is out of range ({_num(lo)} to {_num(hi)})", path=path)
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
    return f" (did you mean {close[0]!r}?)" if close else ""


# ----------------------------------------------------------------------------- saving

def save(doc: Document, path: str | os.PathLike[str]) -> None:
    """Write atomically: a crash or power cut leaves either the old file or the new one."""
    atomic_write_text(Path(path), doc.dumps())


def atomic_write_text(path: Path, text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
