"""Load and validate the knowledge base (assets/knowledge/*.toml).

Every number carries ``basis`` (measured / derived / estimate), ``source`` (ids of
sources.toml) and a ``note``. A file that breaks the schema is refused with its path and key.
"""

from __future__ import annotations

import json
import os
import re
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
    OTHER,
    QUALITIES,
    RED_FLAG_ANSWERS,
    WEIGHABLE_RED_FLAG_ANSWERS,
)
from hipmap.knowledge.rules import Condition, ConditionError
from hipmap.knowledge.rules import parse as parse_condition
from hipmap.paths import assets_dir

BASES = ("measured", "derived", "estimate")
PATTERNS = ("bilateral",)
LR_RANGE = (0.05, 20.0)  # defaults; model.toml's lr_min / lr_max are the ones used
P_RANGE = (0.01, 0.99)  # defaults; model.toml's p_min / p_max
ALLOWED_RED_FLAG_ANSWERS = WEIGHABLE_RED_FLAG_ANSWERS
SEXES = ("female", "male")
SHORT_NAME_MAX = 18
_HEX = "0123456789abcdef"
_CAUSE_ID = re.compile(r"[a-z][a-z0-9_]*")


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
        from hipmap.i18n import _

        if self.lo is None:
            return _("under {high}").format(high=f"{self.hi:g}")
        if self.hi is None:
            return _("{low} or over").format(low=f"{self.lo:g}")
        return _("{low} to under {high}").format(low=f"{self.lo:g}", high=f"{self.hi:g}")


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
class Prior(Cited):
    """A cause's prior probability among the causes of hip-to-knee pain."""

    value: float


@dataclass(frozen=True)
class Cause:
    id: str
    name: str
    plain_name: str
    summary: str
    plain_summary: str
    territory_summary: str
    self_care: str
    prior: Prior
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
    """Fires when every ``all`` condition holds and, if ``any`` is given, one of those."""

    flag: str
    urgency: str
    all: tuple[Condition, ...]
    any: tuple[Condition, ...]
    message: str
    action: str
    source: tuple[str, ...]
    note: str = ""

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for c in (*self.all, *self.any) for a in c.answers))


@dataclass(frozen=True)
class ScreenRule:
    """Which red-flag questions matter for a drawing and its answers (contract 1.1 §3b).

    Applies when every ``when`` condition holds and, if ``when_any`` is given, one of those
    (with ``if_unknown = "ask"``, an unknown condition counts as holding). Its ``ask`` list
    joins the screening list in file order: the first matching screens are asked first."""

    id: str
    when: tuple[Condition, ...]
    when_any: tuple[Condition, ...]
    ask_if_unknown: bool
    ask: tuple[str, ...]
    why: str
    source: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class EvidenceGroup:
    """Features that measure one idea: for each cause only the strongest effect counts."""

    id: str
    members: tuple[str, ...]  # "answer:<id>" or "quality:<id>"
    label: str
    source: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class OtherSpec:
    """The remainder hypothesis ``other``: a prior and a flat, broad territory."""

    prior: float
    territory_p: float
    basis: str
    source: tuple[str, ...]
    note: str


class CauseTable(dict[str, Cause]):
    """The knowledge base's causes, one per file, in contract order. Iterating, ``in`` and
    ``get`` see the files only; indexing with ``other`` (the remainder of the ranking, not a
    file) gives its Cause-shaped description, so code that names every ranked cause works."""

    other: Cause | None = None

    def __missing__(self, key: str) -> Cause:
        if key == OTHER and self.other is not None:
            return self.other
        raise KeyError(key)


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    region_exponent: float
    painted_threshold: float
    disclaimer: str
    causes: CauseTable
    sources: dict[str, Source]
    red_flag_rules: tuple[RedFlagRule, ...]
    model: dict[str, Any]
    unpainted_exponent: float = 0.0
    other: OtherSpec | None = None
    groups: tuple[EvidenceGroup, ...] = ()
    screens: tuple[ScreenRule, ...] = ()

    def unverified_sources(self) -> list[str]:
        return sorted(s for s, src in self.sources.items() if not src.verified)

    def territory_weights(self, cause_id: str) -> dict[str, float]:
        """A cause's referral territory, P(region painted | cause), on both sides' region
        ids: what the diagram shades for it. ``other`` (no territory of its own) has none."""
        from hipmap.core.ids import SIDES

        cause = self.causes.get(cause_id)
        if cause is None:
            return {}
        return {f"{side}.{base}": t.p for base, t in cause.territory.items() for side in SIDES}


def knowledge_dir() -> Path:
    """The knowledge base's folder: the bundled one, or ``HIPMAP_KNOWLEDGE_DIR`` (a knowledge
    base author trying a new or changed file before it is bundled)."""
    override = os.environ.get("HIPMAP_KNOWLEDGE_DIR")
    return Path(override) if override else assets_dir() / "knowledge"


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
    unpainted = _float(model, "unpainted_exponent", where, 0.0, 1.0)
    threshold = _float(model, "painted_threshold", where, 0.0, 1.0)
    other = _load_other(model, where, sources)
    groups = _load_groups(model, where, sources)
    # The causes are the files present: data decides their number. A test, not the loader,
    # demands every contract cause. Contract order first (rankings tie-break the same way),
    # then any other file in name order: a cause is added by adding its file.
    present = {p.stem for p in (root / "causes").glob("*.toml")}
    bad = sorted(c for c in present if not _CAUSE_ID.fullmatch(c) or c == OTHER)
    if bad:
        raise KnowledgeError(f"{root / 'causes'}: {bad} cannot be cause ids (lower-case "
                             f"letters, digits and '_', not {OTHER!r})")
    order = [c for c in KB_CAUSES if c in present] + sorted(present - set(KB_CAUSES))
    bounds = Bounds(p=(_float(model, "p_min", where, 0.0, 0.5) if "p_min" in model else P_RANGE[0],
                       _float(model, "p_max", where, 0.5, 1.0) if "p_max" in model else P_RANGE[1]),
                    lr=(_float(model, "lr_min", where, 0.0, 1.0) if "lr_min" in model
                        else LR_RANGE[0],
                        _float(model, "lr_max", where, 1.0, 1000.0) if "lr_max" in model
                        else LR_RANGE[1]))
    causes = {cid: _load_cause(root / "causes" / f"{cid}.toml", cid, sources, bounds)
              for cid in order}
    if not causes:
        raise KnowledgeError(f"{root / 'causes'}: no cause files")
    rules, screens = _load_red_flags(root / "red_flags.toml", sources)
    causes = CauseTable(causes)
    causes.other = _other_cause(other)
    return KnowledgeBase(
        version=str(model.get("version", "0")), region_exponent=exponent,
        painted_threshold=threshold, disclaimer=str(model.get("disclaimer", "")),
        causes=causes, sources=sources, red_flag_rules=rules, model=model,
        unpainted_exponent=unpainted, other=other, groups=groups, screens=screens)


def _load_other(model: dict[str, Any], where: str, sources: dict[str, Source]) -> OtherSpec:
    t = model.get("other")
    wh = f"{where} [other]"
    if not isinstance(t, dict):
        raise KnowledgeError(f"{wh}: the remainder hypothesis needs a table")
    cited = _cited(t, wh, sources)
    return OtherSpec(prior=_float(t, "prior", wh, 0.001, 0.5),
                     territory_p=_float(t, "territory_p", wh, 0.01, 0.99),
                     basis=cited["basis"], source=cited["source"], note=cited["note"])


def _other_cause(o: OtherSpec) -> Cause:
    from hipmap.knowledge.texts import OTHER_COLOR, OTHER_NAME, OTHER_SHORT

    cited = {"basis": o.basis, "source": o.source, "note": o.note}
    from hipmap.i18n import N_

    # English, marked for the catalogs: shown through _() like the knowledge base's texts
    return Cause(
        id=OTHER, name=OTHER_NAME, plain_name=N_("A cause outside hipmap's list"),
        summary=N_("The remainder of the ranking: none of the listed causes explains the "
                   "drawing and the answers well. Its likelihood is deliberately broad (every "
                   "region equally likely, no answer weighs), so it rises when nothing fits."),
        plain_summary=N_("None of the causes hipmap knows fits your picture well. A clinician "
                         "should look for other causes."),
        territory_summary=N_("Anywhere: no preferred territory."), self_care="",
        prior=Prior(value=o.prior, **cited),
        territory={r: Territory(p=o.territory_p, **cited) for r in BASE_REGIONS},
        answers={}, qualities={}, patterns={}, raw={}, short_name=OTHER_SHORT,
        color=OTHER_COLOR)


def _load_groups(model: dict[str, Any], where: str, sources: dict[str, Source]
                 ) -> tuple[EvidenceGroup, ...]:
    groups, seen = [], set()
    for i, g in enumerate(model.get("group", [])):
        wh = f"{where} [[group]] #{i + 1}"
        members = g.get("members")
        if not isinstance(members, list) or len(members) < 2:
            raise KnowledgeError(f"{wh}: members must list at least two features")
        for m in members:
            kind, _, fid = str(m).partition(":")
            ok = ((kind == "answer" and ANSWERS.get(fid, ("",))[0] == "bool")
                  or (kind == "quality" and fid in QUALITIES))
            if not ok:
                raise KnowledgeError(f"{wh}: {m!r} is not 'answer:<yes/no id>' or "
                                     "'quality:<id>'")
            if m in seen:
                raise KnowledgeError(f"{wh}: {m!r} is already in another group")
            seen.add(m)
        cited = _cited(g, wh, sources)
        groups.append(EvidenceGroup(id=str(g.get("id", f"group{i + 1}")),
                                    members=tuple(members), label=str(g.get("label", "")),
                                    source=cited["source"], note=cited["note"]))
    return tuple(groups)


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


@dataclass(frozen=True)
class Bounds:
    """The bounds every number of a cause file respects (model.toml)."""

    p: tuple[float, float] = P_RANGE
    lr: tuple[float, float] = LR_RANGE


def _load_cause(path: Path, cid: str, sources: dict[str, Source],
                bounds: Bounds | None = None) -> Cause:
    bounds = bounds or Bounds()

    def _lr(t: dict[str, Any], key: str, where: str) -> float:
        return _float(t, key, where, *bounds.lr)

    d = _toml(path)
    w = str(path)
    if d.get("id") != cid:
        raise KnowledgeError(f"{w}: id must be {cid!r}")
    for key in ("name", "plain_name", "summary", "plain_summary"):
        if not isinstance(d.get(key), str) or not d[key].strip():
            raise KnowledgeError(f"{w}: {key} is required")
    prior_t = d.get("prior", {})
    prior = Prior(value=_float(prior_t, "value", f"{w} [prior]", *bounds.p),
                  **_cited(prior_t, f"{w} [prior]", sources))
    terr_t = d.get("territory", {})
    missing = [r for r in BASE_REGIONS if r not in terr_t]
    unknown = [r for r in terr_t if r not in BASE_REGIONS]
    if missing or unknown:
        raise KnowledgeError(f"{w}: territory missing {missing} / unknown {unknown}")
    territory = {
        r: Territory(p=_float(t, "p", f"{w} [territory.{r}]", *bounds.p),
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


def _conditions(r: dict[str, Any], key: str, wh: str) -> tuple[Condition, ...]:
    raw = r.get(key, [])
    if not isinstance(raw, list):
        raise KnowledgeError(f"{wh}: {key} must be a list of conditions")
    try:
        return tuple(parse_condition(c) for c in raw)
    except ConditionError as exc:
        raise KnowledgeError(f"{wh}: {key}: {exc}") from None


def _load_red_flags(path: Path, sources: dict[str, Source]
                    ) -> tuple[tuple[RedFlagRule, ...], tuple[ScreenRule, ...]]:
    from hipmap.core.ids import RED_FLAGS, URGENCIES

    d = _toml(path)
    rules = []
    for i, r in enumerate(d.get("rule", [])):
        wh = f"{path} [[rule]] #{i + 1}"
        if r.get("flag") not in RED_FLAGS:
            raise KnowledgeError(f"{wh}: unknown red flag {r.get('flag')!r}")
        if r.get("urgency") not in URGENCIES[2:]:
            raise KnowledgeError(f"{wh}: a red flag's urgency is urgent or emergency")
        all_c, any_c = _conditions(r, "all", wh), _conditions(r, "any", wh)
        if not all_c and not any_c:
            raise KnowledgeError(f"{wh}: a rule needs conditions")
        for key in ("message", "action"):
            if not str(r.get(key, "")).strip():
                raise KnowledgeError(f"{wh}: {key} is required")
        cited = _cited(r, wh, sources)
        rules.append(RedFlagRule(flag=r["flag"], urgency=r["urgency"], all=all_c, any=any_c,
                                 message=str(r["message"]), action=str(r["action"]),
                                 source=cited["source"], note=cited["note"]))
    flags = {r.flag for r in rules}
    if set(RED_FLAGS) - flags:
        raise KnowledgeError(f"{path}: no rule for red flags {sorted(set(RED_FLAGS) - flags)}")
    screens = []
    for i, r in enumerate(d.get("screen", [])):
        wh = f"{path} [[screen]] #{i + 1}"
        ask = r.get("ask")
        if not isinstance(ask, list) or not ask:
            raise KnowledgeError(f"{wh}: ask must list red-flag answer ids")
        bad = [a for a in ask if a not in RED_FLAG_ANSWERS]
        if bad:
            raise KnowledgeError(f"{wh}: {bad} are not red-flag answer ids")
        unknown = r.get("if_unknown", "skip")
        if unknown not in ("skip", "ask"):
            raise KnowledgeError(f"{wh}: if_unknown must be 'skip' or 'ask'")
        cited = _cited(r, wh, sources)
        screens.append(ScreenRule(
            id=str(r.get("id", f"screen{i + 1}")), when=_conditions(r, "when", wh),
            when_any=_conditions(r, "when_any", wh), ask_if_unknown=unknown == "ask",
            ask=tuple(ask), why=str(r.get("why", "")), source=cited["source"],
            note=cited["note"]))
    return tuple(rules), tuple(screens)


if __name__ == "__main__":
    print(f"wrote {compile_knowledge()}")
