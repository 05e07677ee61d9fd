"""Load and validate the knowledge base (assets/knowledge/*.toml).

Every number carries ``basis`` (measured / derived / estimate), ``source`` (ids of
sources.toml) and a ``note``. A file that breaks the schema is refused with its path and key.
"""

from __future__ import annotations

import json
import tomllib
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from hipmap.core.ids import (
    ANSWERS,
    BASE_REGIONS,
    KB_CAUSES,
    QUALITIES,
    RED_FLAG_ANSWERS,
    WEIGHABLE_RED_FLAG_ANSWERS,
)
from hipmap.paths import assets_dir

BASES = ("measured", "derived", "estimate")
PATTERNS = ("bilateral",)
LR_RANGE = (0.05, 20.0)
ALLOWED_RED_FLAG_ANSWERS = WEIGHABLE_RED_FLAG_ANSWERS
SEXES = ("female", "male")
SHORT_NAME_MAX = 18
_HEX = "0123456789abcdef"


class KnowledgeError(ValueError):
    pass


@dataclass(frozen=True)
class Cited:
    basis: str
    source: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Territory(Cited):
    p: float


@dataclass(frozen=True)
class BoolLR(Cited):
    lr_yes: float
    lr_no: float


@dataclass(frozen=True)
class Band:
    lo: float | None
    hi: float | None
    lr: float

    def contains(self, x: float) -> bool:
        return (self.lo is None or x >= self.lo) and (self.hi is None or x < self.hi)

    def describe(self) -> str:
        if self.lo is None:
            return f"under {self.hi:g}"
        if self.hi is None:
            return f"{self.lo:g} or over"
        return f"{self.lo:g} to under {self.hi:g}"


@dataclass(frozen=True)
class NumberLR(Cited):
    bands: tuple[Band, ...]

    def lr(self, x: float) -> tuple[float, Band | None]:
        for b in self.bands:
            if b.contains(x):
                return b.lr, b
        return 1.0, None


@dataclass(frozen=True)
class PresenceLR(Cited):
    lr: float


@dataclass(frozen=True)
class Cause:
    id: str
    name: str
    plain_name: str
    summary: str
    plain_summary: str
    territory_summary: str
    self_care: str
    prior: PresenceLR  # .lr holds the prior probability
    territory: dict[str, Territory]
    answers: dict[str, BoolLR | NumberLR]
    qualities: dict[str, PresenceLR]
    patterns: dict[str, PresenceLR]
    raw: dict[str, Any] = field(repr=False, compare=False)
    short_name: str = ""  # the chart label (<= 18 characters)
    color: str = ""  # "#rrggbb", the cause's colour on the chart
    sex: dict[str, PresenceLR] = field(default_factory=dict)  # "female"/"male" -> lr


@dataclass(frozen=True)
class Source:
    id: str
    citation: str
    url: str
    verified: bool
    note: str


@dataclass(frozen=True)
class RedFlagRule:
    flag: str
    urgency: str
    all: tuple[str, ...]
    any: tuple[str, ...]
    message: str
    action: str
    source: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    region_exponent: float
    painted_threshold: float
    disclaimer: str
    causes: dict[str, Cause]
    sources: dict[str, Source]
    red_flag_rules: tuple[RedFlagRule, ...]
    model: dict[str, Any]

    def unverified_sources(self) -> list[str]:
        return sorted(s for s, src in self.sources.items() if not src.verified)


def knowledge_dir() -> Path:
    return assets_dir() / "knowledge"


COMPILED = "compiled.json"


def _files(root: Path) -> list[Path]:
    return sorted([*root.glob("*.toml"), *(root / "causes").glob("*.toml")])


def _digest(root: Path, files: list[Path]) -> str:
    """A change detector for the cache (not security): CRC-32 and length of every file.
    zlib instead of hashlib: hashlib loads OpenSSL, ~4 ms of every start-up."""
    crc, size = 0, 0
    for f in files:
        data = f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0"
        crc = zlib.crc32(data, crc)
        size += len(data)
    return f"crc32:{crc:08x}:{size}"


def compile_knowledge(root: Path | None = None) -> Path:
    """Write compiled.json: the parsed TOML files and their digest, so start-up skips the
    (pure-Python, ~25 ms) TOML parser. A stale file is ignored, never trusted."""
    root = root or knowledge_dir()
    files = _files(root)
    data = {"digest": _digest(root, files),
            "files": {f.relative_to(root).as_posix(): _parse_toml(f) for f in files}}
    out = root / COMPILED
    out.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                   encoding="utf-8")
    return out


_parsed: dict[Path, dict[str, Any]] = {}


def _use_compiled(root: Path) -> None:
    try:
        data = json.loads((root / COMPILED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if data.get("digest") != _digest(root, _files(root)):
        return
    for rel, parsed in data["files"].items():
        _parsed[(root / rel).resolve()] = parsed


@cache
def load_knowledge(path: str | None = None) -> KnowledgeBase:
    root = Path(path) if path else knowledge_dir()
    _use_compiled(root)
    sources: dict[str, Source] = {}
    for src_file in sorted(root.glob("sources*.toml")):  # sources.toml, sources_red_flags.toml
        sources.update(_load_sources(src_file))
    model = _toml(root / "model.toml")
    where = str(root / "model.toml")
    exponent = _float(model, "region_exponent", where, 0.05, 1.0)
    threshold = _float(model, "painted_threshold", where, 0.0, 1.0)
    # The causes are the files present (data decides the count); a test, not the loader,
    # demands every contract cause. Contract order, so rankings tie-break the same way.
    present = {p.stem for p in (root / "causes").glob("*.toml")}
    extra = sorted(present - set(KB_CAUSES))
    if extra:
        raise KnowledgeError(f"{root / 'causes'}: files for unknown cause ids {extra} "
                             f"(known: {', '.join(KB_CAUSES)})")
    causes = {cid: _load_cause(root / "causes" / f"{cid}.toml", cid, sources)
              for cid in KB_CAUSES if cid in present}
    if not causes:
        raise KnowledgeError(f"{root / 'causes'}: no cause files")
    rules = _load_red_flags(root / "red_flags.toml", sources)
    return KnowledgeBase(
        version=str(model.get("version", "0")), region_exponent=exponent,
        painted_threshold=threshold, disclaimer=str(model.get("disclaimer", "")),
        causes=causes, sources=sources, red_flag_rules=rules, model=model)


def _toml(path: Path) -> dict[str, Any]:
    cached = _parsed.get(path.resolve())
    return cached if cached is not None else _parse_toml(path)


def _parse_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise KnowledgeError(f"{path}: missing knowledge-base file") from None
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{path}: {exc}") from None


def _load_sources(path: Path) -> dict[str, Source]:
    data = _toml(path)
    out = {}
    for sid, s in data.items():
        if not isinstance(s, dict) or not s.get("citation"):
            raise KnowledgeError(f"{path}: [{sid}] needs a citation")
        out[sid] = Source(id=sid, citation=str(s["citation"]), url=str(s.get("url", "")),
                          verified=bool(s.get("verified", False)), note=str(s.get("note", "")))
    return out


def _cited(t: Any, where: str, sources: dict[str, Source]) -> dict[str, Any]:
    if not isinstance(t, dict):
        raise KnowledgeError(f"{where}: must be a table")
    basis = t.get("basis")
    if basis not in BASES:
        raise KnowledgeError(f"{where}: basis must be one of {BASES}, got {basis!r}")
    src = t.get("source")
    if isinstance(src, str):
        src = [src]
    if not src or not isinstance(src, list):
        raise KnowledgeError(f"{where}: needs a non-empty source list")
    missing = [s for s in src if s not in sources]
    if missing:
        raise KnowledgeError(f"{where}: sources {missing} are not in sources.toml")
    return {"basis": basis, "source": tuple(src), "note": str(t.get("note", ""))}


def _float(t: dict[str, Any], key: str, where: str, lo: float, hi: float) -> float:
    v = t.get(key)
    if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
        raise KnowledgeError(f"{where}: {key} must be a number in [{lo}, {hi}], got {v!r}")
    return float(v)


def _lr(t: dict[str, Any], key: str, where: str) -> float:
    return _float(t, key, where, *LR_RANGE)


def _load_cause(path: Path, cid: str, sources: dict[str, Source]) -> Cause:
    d = _toml(path)
    w = str(path)
    if d.get("id") != cid:
        raise KnowledgeError(f"{w}: id must be {cid!r}")
    for key in ("name", "plain_name", "summary", "plain_summary"):
        if not isinstance(d.get(key), str) or not d[key].strip():
            raise KnowledgeError(f"{w}: {key} is required")
    prior_t = d.get("prior", {})
    prior = PresenceLR(lr=_float(prior_t, "value", f"{w} [prior]", 0.001, 0.9),
                       **_cited(prior_t, f"{w} [prior]", sources))
    terr_t = d.get("territory", {})
    missing = [r for r in BASE_REGIONS if r not in terr_t]
    unknown = [r for r in terr_t if r not in BASE_REGIONS]
    if missing or unknown:
        raise KnowledgeError(f"{w}: territory missing {missing} / unknown {unknown}")
    territory = {
        r: Territory(p=_float(t, "p", f"{w} [territory.{r}]", 0.005, 0.995),
                     **_cited(t, f"{w} [territory.{r}]", sources))
        for r, t in terr_t.items()
    }
    answers: dict[str, BoolLR | NumberLR] = {}
    for aid, t in d.get("answers", {}).items():
        wh = f"{w} [answers.{aid}]"
        if aid not in ANSWERS:
            raise KnowledgeError(f"{wh}: unknown answer id")
        if aid in RED_FLAG_ANSWERS and aid not in ALLOWED_RED_FLAG_ANSWERS:
            raise KnowledgeError(f"{wh}: red-flag answers are rules, not cause weights")
        cited = _cited(t, wh, sources)
        if ANSWERS[aid][0] == "number":
            bands = []
            for i, b in enumerate(t.get("bands", [])):
                lo, hi = b.get("from"), b.get("below")
                bands.append(Band(lo=None if lo is None else float(lo),
                                  hi=None if hi is None else float(hi),
                                  lr=_lr(b, "lr", f"{wh} band {i}")))
            if not bands:
                raise KnowledgeError(f"{wh}: a numeric answer needs bands")
            answers[aid] = NumberLR(bands=tuple(bands), **cited)
        else:
            answers[aid] = BoolLR(lr_yes=_lr(t, "lr_yes", wh), lr_no=_lr(t, "lr_no", wh),
                                  **cited)
    qualities = {}
    for q, t in d.get("qualities", {}).items():
        if q not in QUALITIES:
            raise KnowledgeError(f"{w} [qualities.{q}]: unknown quality")
        qualities[q] = PresenceLR(lr=_lr(t, "lr", f"{w} [qualities.{q}]"),
                                  **_cited(t, f"{w} [qualities.{q}]", sources))
    patterns = {}
    for pid, t in d.get("patterns", {}).items():
        if pid not in PATTERNS:
            raise KnowledgeError(f"{w} [patterns.{pid}]: unknown pattern (known: {PATTERNS})")
        patterns[pid] = PresenceLR(lr=_lr(t, "lr", f"{w} [patterns.{pid}]"),
                                   **_cited(t, f"{w} [patterns.{pid}]", sources))
    sex = {}
    for sid, t in d.get("sex", {}).items():
        if sid not in SEXES:
            raise KnowledgeError(f"{w} [sex.{sid}]: unknown sex (known: {SEXES})")
        sex[sid] = PresenceLR(lr=_lr(t, "lr", f"{w} [sex.{sid}]"),
                              **_cited(t, f"{w} [sex.{sid}]", sources))
    short = d.get("short_name")
    if short is not None and (not isinstance(short, str) or not short.strip()
                              or len(short) > SHORT_NAME_MAX):
        raise KnowledgeError(f"{w}: short_name must be a string of 1 to {SHORT_NAME_MAX} "
                             f"characters, got {short!r}")
    color = d.get("color")
    if color is not None and not _is_hex_colour(color):
        raise KnowledgeError(f"{w}: color must be '#rrggbb', got {color!r}")
    return Cause(
        id=cid, name=d["name"], plain_name=d["plain_name"], summary=d["summary"],
        plain_summary=d["plain_summary"], territory_summary=str(d.get("territory_summary", "")),
        self_care=str(d.get("self_care", "")), prior=prior, territory=territory,
        answers=answers, qualities=qualities, patterns=patterns, raw=d,
        short_name=(short or "").strip(), color=(color or "").lower(), sex=sex)


def _is_hex_colour(v: Any) -> bool:
    return (isinstance(v, str) and len(v) == 7 and v[0] == "#"
            and all(ch in _HEX for ch in v[1:].lower()))


def _load_red_flags(path: Path, sources: dict[str, Source]) -> tuple[RedFlagRule, ...]:
    from hipmap.core.ids import RED_FLAGS, URGENCIES

    d = _toml(path)
    rules = []
    for i, r in enumerate(d.get("rule", [])):
        wh = f"{path} [[rule]] #{i + 1}"
        if r.get("flag") not in RED_FLAGS:
            raise KnowledgeError(f"{wh}: unknown red flag {r.get('flag')!r}")
        if r.get("urgency") not in URGENCIES[2:]:
            raise KnowledgeError(f"{wh}: a red flag's urgency is urgent or emergency")
        names = [*r.get("all", []), *r.get("any", [])]
        bad = [a for a in names if a not in ANSWERS or ANSWERS[a][0] != "bool"]
        if bad or not names:
            raise KnowledgeError(f"{wh}: conditions must be yes/no answer ids, bad: {bad}")
        cited = _cited(r, wh, sources)
        rules.append(RedFlagRule(flag=r["flag"], urgency=r["urgency"],
                                 all=tuple(r.get("all", [])), any=tuple(r.get("any", [])),
                                 message=str(r["message"]), action=str(r["action"]),
                                 source=cited["source"]))
    flags = {r.flag for r in rules}
    if set(RED_FLAGS) - flags:
        raise KnowledgeError(f"{path}: no rule for red flags {sorted(set(RED_FLAGS) - flags)}")
    return tuple(rules)


if __name__ == "__main__":
    print(f"wrote {compile_knowledge()}")
