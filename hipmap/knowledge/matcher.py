"""The explainable matcher: likelihood ratios from the painted territory and the answers.

log score(c) = ln prior(c) + Σ evidence effects, normalised over the nine causes (softmax), so
``score`` is the posterior probability of each cause given that one of them is the cause.
Each effect is shown relative to the prior-weighted average cause, which leaves the ranking
unchanged and makes the sign readable: positive = this finding points towards the cause.
Unanswered questions contribute nothing. Red flags are rules (red_flags.py) that override.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hipmap.core.document import Document, RegionMark
from hipmap.core.ids import ANSWERS, BASE_REGIONS, QUALITIES, split_region
from hipmap.knowledge.base import BoolLR, Cause, KnowledgeBase, NumberLR, load_knowledge
from hipmap.knowledge.texts import answer_statement, cause_label, sentence

#: Regions that count for "pain on both sides" (Suri 2010: bilateral buttock or leg pain).
BILATERAL_REGIONS = frozenset(BASE_REGIONS) - {"lower_back", "sacroiliac"}
MIN_EFFECT = 0.02
COMMON, UNCOMMON = "one of the more common causes", "a less common cause"


@dataclass(frozen=True)
class Features:
    """What the matcher sees: painted base regions (either side), qualities, answers."""

    painted: frozenset[str]
    sides: Mapping[str, frozenset[str]]  # base region -> sides painted
    qualities: frozenset[str]
    answers: Mapping[str, Any]
    any_pain: bool

    @property
    def bilateral(self) -> bool:
        return any(len(self.sides.get(r, ())) == 2 for r in BILATERAL_REGIONS)


@dataclass
class Evidence:
    factor: str
    effect: float
    text: str
    sources: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"factor": self.factor, "effect": round(self.effect, 3), "text": self.text,
                "sources": list(self.sources)}


@dataclass
class Ranked:
    cause: str
    score: float
    log_score: float
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"cause": self.cause, "score": round(self.score, 4),
                "evidence": [e.to_json() for e in self.evidence]}


def features_from(region_coverage: Mapping[str, tuple[float, float]], doc: Document,
                  kb: KnowledgeBase | None = None) -> Features:
    """Build features from ``{region id: (coverage, intensity)}`` and the document."""
    kb = kb or load_knowledge()
    sides: dict[str, set[str]] = {}
    for rid, (cov, intensity) in region_coverage.items():
        if intensity <= 0 or cov < kb.painted_threshold:
            continue
        side, base = split_region(rid)
        sides.setdefault(base, set()).add(side)
    qualities = set()
    for m in doc.marks:
        if m.quality and m.intensity > 0:
            qualities.add(m.quality)
    any_pain = any(m.intensity > 0 for m in doc.marks) or any(
        isinstance(m, RegionMark) for m in doc.marks)
    return Features(painted=frozenset(sides), sides={k: frozenset(v) for k, v in sides.items()},
                    qualities=frozenset(qualities), answers=doc.effective_answers(),
                    any_pain=any_pain)


@dataclass(frozen=True)
class _Tables:
    """What depends on the knowledge base only, computed once per knowledge base."""

    mean_prior: float
    base: dict[str, float]  # cause -> ln(prior / mean prior)
    painted: dict[str, dict[str, float]]  # cause -> region -> effect when painted
    absent: dict[str, dict[str, float]]  # cause -> region -> effect when not painted


_TABLES: dict[int, tuple[KnowledgeBase, _Tables]] = {}


def _tables(kb: KnowledgeBase) -> _Tables:
    hit = _TABLES.get(id(kb))
    if hit is not None and hit[0] is kb:
        return hit[1]
    causes = list(kb.causes.values())
    total = sum(c.prior.lr for c in causes)
    mean_p = {r: sum(c.prior.lr * c.territory[r].p for c in causes) / total
              for r in BASE_REGIONS}
    w = kb.region_exponent
    mean_prior = total / len(causes)
    tables = _Tables(
        mean_prior=mean_prior,
        base={c.id: math.log(c.prior.lr / mean_prior) for c in causes},
        painted={c.id: {r: w * math.log(c.territory[r].p / mean_p[r]) for r in BASE_REGIONS}
                 for c in causes},
        absent={c.id: {r: w * math.log((1 - c.territory[r].p) / (1 - mean_p[r]))
                       for r in BASE_REGIONS} for c in causes},
    )
    _TABLES[id(kb)] = (kb, tables)
    return tables


def rank(features: Features, kb: KnowledgeBase | None = None) -> list[Ranked]:
    """Score every cause; evidence lists each factor that moved it by at least MIN_EFFECT
    (sentences are written only for those)."""
    kb = kb or load_knowledge()
    tab = _tables(kb)
    ranked = []
    for c in kb.causes.values():
        label = cause_label(c)
        effects: list[float] = [tab.base[c.id]]
        shown: list[Evidence] = []
        base = tab.base[c.id]
        if abs(base) >= MIN_EFFECT:
            shown.append(Evidence("base_rate", base, sentence(
                f"{label} is {COMMON if base > 0 else UNCOMMON} "
                "of pain between the hip and the knee."), c.prior.source))
        if features.any_pain:
            for r in BASE_REGIONS:
                painted = r in features.painted
                eff = (tab.painted if painted else tab.absent)[c.id][r]
                effects.append(eff)
                if abs(eff) < MIN_EFFECT:
                    continue
                t = c.territory[r]
                text = _region_text(BASE_REGIONS[r], label, t.p, eff, painted=painted)
                if painted:
                    sides = " and ".join(sorted(features.sides[r], reverse=True))
                    factor = f"region:{_side_tag(sides)}{r}"
                else:
                    factor = f"no_region:{r}"
                shown.append(Evidence(factor, eff, text, t.source))
        for aid, value in features.answers.items():
            spec = c.answers.get(aid)
            if isinstance(spec, NumberLR):
                lr, band = spec.lr(float(value))
                if band is None or lr == 1.0:
                    continue
                eff = math.log(lr)
                what = "Your age" if aid == "age" else "How long the pain has lasted"
                val = f"{value:g}" + (" years" if aid == "age" else " days")
                text = f"{what} ({val}) makes {label} {'more' if eff > 0 else 'less'} likely."
                factor = f"answer:{aid}"
            elif isinstance(spec, BoolLR) and isinstance(value, bool):
                eff = math.log(spec.lr_yes if value else spec.lr_no)
                text = (f"You said {answer_statement(aid, value)}; this "
                        f"{'fits' if eff > 0 else 'argues against'} {label}.")
                factor = f"answer:{aid}={'yes' if value else 'no'}"
            else:
                continue
            effects.append(eff)
            if abs(eff) >= MIN_EFFECT:
                shown.append(Evidence(factor, eff, text, spec.source))
        for q in sorted(features.qualities):
            spec_q = c.qualities.get(q)
            if spec_q is None:
                continue
            eff = math.log(spec_q.lr)
            effects.append(eff)
            if abs(eff) >= MIN_EFFECT:
                shown.append(Evidence(f"quality:{q}", eff, (
                    f"You described the pain as {QUALITIES[q]}; this is "
                    f"{'typical of' if eff > 0 else 'less typical of'} {label}."),
                    spec_q.source))
        if features.bilateral and "bilateral" in c.patterns:
            pat = c.patterns["bilateral"]
            eff = math.log(pat.lr)
            effects.append(eff)
            shown.append(Evidence("pattern:bilateral", eff, (
                f"Pain on both sides of the body {'fits' if eff > 0 else 'argues against'} "
                f"{label}."), pat.source))
        shown.sort(key=lambda e: -abs(e.effect))
        ranked.append(Ranked(c.id, 0.0, math.log(tab.mean_prior) + math.fsum(effects), shown))
    top = max(r.log_score for r in ranked)
    z = sum(math.exp(r.log_score - top) for r in ranked)
    for r in ranked:
        r.score = math.exp(r.log_score - top) / z
    ranked.sort(key=lambda r: (-r.score, r.cause))
    return ranked


def _side_tag(sides: str) -> str:
    return "both." if " and " in sides else f"{sides}."


def _region_text(region: str, label: str, p: float, eff: float, *, painted: bool) -> str:
    if painted:
        if eff > 0:
            how = "is common with" if p >= 0.5 else "fits"
            return f"You marked pain in the {region}; this {how} {label}."
        return f"You marked pain in the {region}; this is unusual for {label}."
    if eff < 0:
        return f"No pain is marked in the {region}, where {label} often hurts."
    return f"No pain is marked in the {region}; {label} rarely reaches there."


# ------------------------------------------------------------------ next questions

def next_questions(ranked: list[Ranked], features: Features, kb: KnowledgeBase | None = None,
                   *, limit: int = 5) -> list[dict[str, str]]:
    """Unanswered questions that best separate the leading causes.

    For each unanswered question, its *swing* for a cause is ln LR(yes) − ln LR(no) (for
    numbers: the spread of the band LRs). Its value is the posterior-weighted spread of the
    swings over the leading causes: a question every leading cause answers the same way is
    worth nothing, one that pushes the top two apart is worth the most.
    """
    kb = kb or load_knowledge()
    leading = [r for r in ranked[:4] if r.score >= 0.03]
    if len(leading) < 2:  # one cause dominates: still separate it from the runner-up
        leading = ranked[:2]
    out: list[tuple[float, dict[str, str]]] = []
    for aid, (kind, group, _q) in ANSWERS.items():
        if aid in features.answers or group == "red_flags":
            continue
        swings = {r.cause: _swing(kb.causes[r.cause], aid) for r in leading}
        best, pair = 0.0, None
        for i, a in enumerate(leading):
            for b in leading[i + 1:]:
                v = a.score * b.score * abs(swings[a.cause] - swings[b.cause])
                if v > best:
                    best, pair = v, (a, b)
        if pair is None or best <= 1e-9:
            continue
        a, b = pair
        favours = a if swings[a.cause] > swings[b.cause] else b
        other = b if favours is a else a
        why = (f"Separates {cause_label(kb.causes[a.cause])} from "
               f"{cause_label(kb.causes[b.cause])}: ")
        why += (f"a 'yes' points towards {cause_label(kb.causes[favours.cause])}, "
                f"a 'no' towards {cause_label(kb.causes[other.cause])}."
                if kind == "bool" else "the answer weighs differently for each.")
        out.append((best, {"answer": aid, "why": why}))
    out.sort(key=lambda t: -t[0])
    return [q for _, q in out[:limit]]


def _swing(cause: Cause, aid: str) -> float:
    spec = cause.answers.get(aid)
    if spec is None:
        return 0.0
    if isinstance(spec, NumberLR):
        lrs = [b.lr for b in spec.bands]
        return math.log(max(lrs)) - math.log(min(lrs))
    return math.log(spec.lr_yes) - math.log(spec.lr_no)
