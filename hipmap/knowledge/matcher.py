"""The explainable matcher: likelihood ratios from the painted territory and the answers.

For each of the knowledge base's causes and the remainder ``other`` (see
assets/knowledge/README.md, "The model"):

    log s(c) = ln π(c)
             + w_p · Σ_{r painted}     ln p_c(r)        (only if anything is painted)
             + w_u · Σ_{r not painted} ln (1 − p_c(r))
             + Σ over independent answers, qualities, the bilateral pattern, sex: ln LR
             + Σ over evidence groups: the member effect with the largest |ln LR|

``score`` is the softmax of log s over the causes and ``other``: they sum to 1. ``other`` has a
flat territory (p = territory_p for every region) and LR 1 for everything else, so it rises when
nothing fits. Each effect is shown relative to the prior-weighted average cause (which leaves the
ranking unchanged and makes the sign readable). Unanswered questions contribute nothing.
Red flags are rules (red_flags.py) that override the ranking.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from hipmap.core.document import Document, RegionMark
from hipmap.core.ids import ANSWERS, BASE_REGIONS, OTHER, REGION_GROUPS, split_region
from hipmap.i18n import _, language
from hipmap.knowledge.base import BoolLR, Cause, KnowledgeBase, NumberLR, load_knowledge
from hipmap.knowledge.texts import (
    OTHER_LABEL,
    and_text,
    answer_statement,
    cause_label,
    effect_text,
    quality_text,
    region_name,
    sentence,
)

#: Regions that count for "pain on both sides" (Suri 2010: bilateral buttock or LEG pain): the
#: buttock, the thigh and the lower leg. Never the back, the groin, the outer hip, the knee or
#: the foot (issue 7, finding 4).
BILATERAL_REGIONS = frozenset(("buttock", "ischial", *REGION_GROUPS["thigh"],
                               *(r for r in REGION_GROUPS["below_knee"] if r.endswith("_leg"))))
#: Evidence shown: effects of at least 5 % (a factor 1.05), the strongest EVIDENCE_LIMIT per
#: cause (a 500-stroke drawing paints every region: twenty region sentences say nothing).
MIN_EFFECT = 0.05
EVIDENCE_LIMIT = 12
SEXES = ("female", "male")


@dataclass(frozen=True)
class Features:
    """What the matcher sees: painted base regions (either side), qualities, answers, sex."""

    painted: frozenset[str]
    sides: Mapping[str, frozenset[str]]  # base region -> sides painted
    qualities: frozenset[str]
    answers: Mapping[str, Any]
    any_pain: bool
    sex: str | None = None

    @property
    def bilateral(self) -> bool:
        """Pain on the patient's right AND left in the buttock, thigh or lower-leg regions."""
        seen: set[str] = set()
        for r in BILATERAL_REGIONS:
            seen |= self.sides.get(r, frozenset())
        return len(seen) == 2


@dataclass(slots=True)
class Evidence:
    factor: str
    effect: float
    text: str
    sources: tuple[str, ...] = ()
    words: str = ""  # effect_text(effect), when already known

    def to_json(self) -> dict[str, Any]:
        return {"factor": self.factor, "effect": round(self.effect, 3), "text": self.text,
                "effect_text": self.words or effect_text(self.effect),
                "sources": list(self.sources)}


@dataclass(slots=True)
class Ranked:
    cause: str
    score: float
    log_score: float
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"cause": self.cause, "score": round(self.score, 4),
                "evidence": [e.to_json() for e in self.evidence]}


class Question(NamedTuple):
    """A question to ask next: the answer id, why it matters here, and ``kind``:
    ``red_flag`` (the red-flag screening asks it) or ``separates`` (it separates the
    leading causes)."""

    answer: str
    why: str
    kind: str

    def to_json(self) -> dict[str, Any]:
        return {"answer": self.answer, "why": self.why, "kind": self.kind}


def features_from(region_coverage: Mapping[str, tuple[float, float]], doc: Document,
                  kb: KnowledgeBase | None = None) -> Features:
    """Build features from ``{region id: (coverage, intensity)}`` and the document.

    A region is painted when its coverage reaches ``painted_threshold``. A pain quality
    counts when its mark paints something: a region mark at or above the threshold, or a
    stroke in a drawing where at least one region is painted."""
    kb = kb or load_knowledge()
    sides: dict[str, set[str]] = {}
    for rid, (cov, intensity) in region_coverage.items():
        if intensity <= 0 or cov < kb.painted_threshold:
            continue
        side, base = split_region(rid)
        sides.setdefault(base, set()).add(side)
    qualities = set()
    for m in doc.marks:
        if not m.quality or m.intensity <= 0:
            continue
        if isinstance(m, RegionMark):
            if m.coverage >= kb.painted_threshold:
                qualities.add(m.quality)
        elif sides:
            qualities.add(m.quality)
    any_pain = any(m.intensity > 0 for m in doc.marks) or any(
        isinstance(m, RegionMark) for m in doc.marks)
    sex = (doc.patient or {}).get("sex")
    return Features(painted=frozenset(sides), sides={k: frozenset(v) for k, v in sides.items()},
                    qualities=frozenset(qualities), answers=doc.effective_answers(),
                    any_pain=any_pain,
                    sex=sex.lower() if isinstance(sex, str) and sex.lower() in SEXES else None)


@dataclass(frozen=True)
class _Tables:
    """What depends on the knowledge base only, computed once per knowledge base."""

    log_mean_prior: float
    base: dict[str, float]  # hypothesis -> ln(prior / mean prior)
    painted: dict[str, dict[str, float]]  # hypothesis -> region -> effect when painted
    absent: dict[str, dict[str, float]]  # hypothesis -> region -> effect when not painted
    group_of: dict[str, str]  # "answer:<id>" / "quality:<id>" -> group id
    group_label: dict[str, str]
    priors: dict[str, float]
    labels: dict[str, str]  # hypothesis -> how it reads in a sentence
    # hypothesis -> region -> painted? -> (effect, sentence, sources, effect in words), for the
    # region effects shown (|effect| >= MIN_EFFECT): the sentences depend on the KB only
    region_ev: dict[str, dict[tuple[str, bool], tuple[float, str, tuple[str, ...], str]]]
    swing: dict[str, dict[str, float]]  # hypothesis -> answer id -> swing (next_questions)


#: (id of the knowledge base, language) -> (the knowledge base, its tables): the sentences in
#: the tables are in the language they were made in
_TABLES: dict[tuple[int, str], tuple[KnowledgeBase, _Tables]] = {}


def priors(kb: KnowledgeBase) -> dict[str, float]:
    """The prior of every hypothesis: the causes' shares scaled by 1 − prior(other)."""
    return _tables(kb).priors


def _tables(kb: KnowledgeBase) -> _Tables:
    key = (id(kb), language())
    hit = _TABLES.get(key)
    if hit is not None and hit[0] is kb:
        return hit[1]
    causes = list(kb.causes.values())
    other = kb.other
    p_other = other.prior if other else 0.0
    total = sum(c.prior.value for c in causes)
    prior = {c.id: c.prior.value / total * (1 - p_other) for c in causes}
    terr = {c.id: {r: c.territory[r].p for r in BASE_REGIONS} for c in causes}
    if other is not None:
        prior[OTHER] = p_other
        terr[OTHER] = dict.fromkeys(BASE_REGIONS, other.territory_p)
    # the reference: the prior-weighted average listed cause
    mean_p = {r: sum(prior[c.id] * c.territory[r].p for c in causes) / sum(
        prior[c.id] for c in causes) for r in BASE_REGIONS}
    mean_prior = sum(prior.values()) / len(prior)
    wp, wu = kb.region_exponent, kb.unpainted_exponent
    group_of = {m: g.id for g in kb.groups for m in g.members}
    painted = {h: {r: wp * math.log(terr[h][r] / mean_p[r]) for r in BASE_REGIONS}
               for h in prior}
    absent = {h: {r: wu * math.log((1 - terr[h][r]) / (1 - mean_p[r])) for r in BASE_REGIONS}
              for h in prior}
    labels = {c.id: cause_label(c) for c in causes}
    labels[OTHER] = _(OTHER_LABEL)
    region_ev: dict[str, dict[tuple[str, bool], tuple[float, str, tuple[str, ...], str]]] = {}
    for h in prior:
        cause = kb.causes.get(h)
        out = region_ev[h] = {}
        for r in BASE_REGIONS:
            for is_painted in (True, False):
                eff = (painted if is_painted else absent)[h][r]
                if abs(eff) < MIN_EFFECT:
                    continue
                if cause is None:
                    text = _other_region_text(region_name(r, full=True), eff,
                                              painted=is_painted)
                    sources: tuple[str, ...] = other.source if other else ()
                else:
                    t = cause.territory[r]
                    text = _region_text(region_name(r, full=True), labels[h], eff,
                                        painted=is_painted, common=t.p >= 0.5)
                    sources = t.source
                out[(r, is_painted)] = (eff, text, sources, effect_text(eff))
    tables = _Tables(
        log_mean_prior=math.log(mean_prior),
        base={h: math.log(prior[h] / mean_prior) for h in prior},
        painted=painted,
        absent=absent,
        group_of=group_of,
        group_label={g.id: _(g.label) if g.label else "" for g in kb.groups},
        priors=prior,
        labels=labels,
        region_ev=region_ev,
        swing={h: {aid: _swing(kb.causes.get(h), aid) for aid in ANSWERS} for h in prior},
    )
    _TABLES[key] = (kb, tables)
    return tables


def rank(features: Features, kb: KnowledgeBase | None = None) -> list[Ranked]:
    """Score every cause and ``other``; evidence lists each factor that moved a score by at
    least MIN_EFFECT (sentences are written only for those)."""
    kb = kb or load_knowledge()
    tab = _tables(kb)
    ranked = [_rank_cause(c, features, tab) for c in kb.causes.values()]
    if kb.other is not None:
        ranked.append(_rank_other(features, tab))
    top = max(r.log_score for r in ranked)
    z = math.fsum(math.exp(r.log_score - top) for r in ranked)
    for r in ranked:
        r.score = math.exp(r.log_score - top) / z
    ranked.sort(key=lambda r: (-r.score, r.cause))
    return ranked


def _base_evidence(hyp: str, label: str, tab: _Tables, sources: tuple[str, ...]
                   ) -> list[Evidence]:
    base = tab.base[hyp]
    if abs(base) < MIN_EFFECT:
        return []
    if hyp == OTHER:
        text = (_("Taken together, the causes outside the list are about as common as one of "
                  "the more common listed causes.") if base > 0 else
                _("Causes outside the list are uncommon."))
    else:
        text = sentence((_("{cause} is one of the more common causes of pain between the hip "
                           "and the knee.") if base > 0 else
                         _("{cause} is a less common cause of pain between the hip and the "
                           "knee.")).format(cause=label))
    return [Evidence("base_rate", base, text, sources)]


def _region_effects(hyp: str, features: Features, tab: _Tables
                    ) -> tuple[float, list[Evidence]]:
    """The summed region effect, and the EVIDENCE_LIMIT strongest region effects as
    evidence (sentences come precomputed from the tables)."""
    if not features.any_pain:
        return 0.0, []
    painted_t, absent_t, texts = tab.painted[hyp], tab.absent[hyp], tab.region_ev[hyp]
    painted = features.painted
    total = math.fsum(painted_t[r] if r in painted else absent_t[r] for r in BASE_REGIONS)
    strong = sorted(((ev, r, p) for r in BASE_REGIONS
                     if (ev := texts.get((r, p := r in painted))) is not None),
                    key=lambda t: -abs(t[0][0]))[:EVIDENCE_LIMIT]
    shown = []
    for ev, r, is_painted in strong:
        if is_painted:
            sides = features.sides[r]
            factor = f"region:{'both' if len(sides) == 2 else next(iter(sides))}.{r}"
        else:
            factor = f"no_region:{r}"
        shown.append(Evidence(factor, ev[0], ev[1], ev[2], ev[3]))
    return total, shown


def _rank_cause(c: Cause, features: Features, tab: _Tables) -> Ranked:
    label = tab.labels[c.id]
    effects: list[float] = [tab.base[c.id]]
    shown = _base_evidence(c.id, label, tab, c.prior.source)
    reg_total, reg_shown = _region_effects(c.id, features, tab)
    effects.append(reg_total)
    shown += reg_shown
    # independent features go straight in; grouped ones wait for the strongest of their group
    grouped: dict[str, list[tuple[str, Evidence]]] = {}

    def add(key: str, ev: Evidence) -> None:
        g = tab.group_of.get(key)
        if g is not None:
            grouped.setdefault(g, []).append((key, ev))
            return
        effects.append(ev.effect)
        if abs(ev.effect) >= MIN_EFFECT:
            shown.append(ev)

    for aid, value in features.answers.items():
        spec = c.answers.get(aid)
        if isinstance(spec, NumberLR):
            if isinstance(value, bool):
                continue
            lr, band = spec.lr(float(value))
            if band is None or lr == 1.0:
                continue
            eff = math.log(lr)
            add(f"answer:{aid}", Evidence(f"answer:{aid}", eff,
                                          _number_text(aid, value, eff, label), spec.source))
        elif isinstance(spec, BoolLR) and isinstance(value, bool):
            eff = math.log(spec.lr_yes if value else spec.lr_no)
            said = (_("You said {statement}; this fits {cause}.") if eff > 0 else
                    _("You said {statement}; this argues against {cause}."))
            add(f"answer:{aid}", Evidence(
                f"answer:{aid}={'yes' if value else 'no'}", eff,
                said.format(statement=answer_statement(aid, value), cause=label), spec.source))
    for q in sorted(features.qualities):
        spec_q = c.qualities.get(q)
        if spec_q is None:
            continue
        eff = math.log(spec_q.lr)
        described = (_("You described the pain as {quality}; this is typical of {cause}.")
                     if eff > 0 else
                     _("You described the pain as {quality}; this is less typical of {cause}."))
        add(f"quality:{q}", Evidence(f"quality:{q}", eff, described.format(
            quality=quality_text(q), cause=label), spec_q.source))
    for gid, members in grouped.items():
        key, best = max(members, key=lambda kv: abs(kv[1].effect))  # first wins a tie
        effects.append(best.effect)
        if abs(best.effect) >= MIN_EFFECT:
            others = [_feature_words(k) for k, _ev in members if k != key]
            if others:
                what = tab.group_label.get(gid) or _("the same thing")
                best.text = _("{sentence} (counted once with {others}: one sign of "
                              "{idea}).").format(sentence=best.text[:-1],
                                                 others=and_text(others), idea=what)
            shown.append(best)
    if features.bilateral and "bilateral" in c.patterns:
        pat = c.patterns["bilateral"]
        eff = math.log(pat.lr)
        effects.append(eff)
        both = (_("Pain on both sides (buttocks or legs) fits {cause}.") if eff > 0 else
                _("Pain on both sides (buttocks or legs) argues against {cause}."))
        shown.append(Evidence("pattern:bilateral", eff, both.format(cause=label), pat.source))
    if features.sex is not None and features.sex in c.sex:
        sx = c.sex[features.sex]
        eff = math.log(sx.lr)
        effects.append(eff)
        if abs(eff) >= MIN_EFFECT:
            shown.append(Evidence(f"sex:{features.sex}", eff, sentence(
                _SEX_TEXT[(features.sex, eff > 0)]().format(cause=label)), sx.source))
    shown.sort(key=lambda e: -abs(e.effect))
    return Ranked(c.id, 0.0, tab.log_mean_prior + math.fsum(effects), shown[:EVIDENCE_LIMIT])


def _rank_other(features: Features, tab: _Tables) -> Ranked:
    effects: list[float] = [tab.base[OTHER]]
    shown = _base_evidence(OTHER, OTHER_LABEL, tab, ())
    reg_total, reg_shown = _region_effects(OTHER, features, tab)
    effects.append(reg_total)
    shown += reg_shown
    shown.sort(key=lambda e: -abs(e.effect))
    return Ranked(OTHER, 0.0, tab.log_mean_prior + math.fsum(effects), shown[:EVIDENCE_LIMIT])


#: (sex, more common?) -> the sentence (a function, so that it is translated when used)
_SEX_TEXT = {
    ("female", True): lambda: _("{cause} is more common in women."),
    ("female", False): lambda: _("{cause} is less common in women."),
    ("male", True): lambda: _("{cause} is more common in men."),
    ("male", False): lambda: _("{cause} is less common in men."),
}


def _number_text(aid: str, value: float, eff: float, label: str) -> str:
    """'Your age (58 years) fits hip osteoarthritis.' — one whole sentence per case."""
    if aid == "age":
        text = (_("Your age ({years} years) fits {cause}.") if eff > 0 else
                _("Your age ({years} years) argues against {cause}."))
        return text.format(years=f"{value:g}", cause=label)
    text = (_("How long the pain has lasted ({days} days) fits {cause}.") if eff > 0 else
            _("How long the pain has lasted ({days} days) argues against {cause}."))
    return text.format(days=f"{value:g}", cause=label)


def _feature_words(key: str) -> str:
    kind, _sep, fid = key.partition(":")
    if kind == "quality":
        return quality_text(fid).split(" (")[0]
    return answer_statement(fid, True)


def _region_text(region: str, label: str, eff: float, *, painted: bool, common: bool) -> str:
    if painted:
        if eff > 0:
            text = (_("You marked pain in the {region}; this is common with {cause}.") if common
                    else _("You marked pain in the {region}; this fits {cause}."))
        else:
            text = _("You marked pain in the {region}; this is unusual for {cause}.")
    elif eff < 0:
        text = _("No pain is marked in the {region}, where {cause} often hurts.")
    else:
        text = _("No pain is marked in the {region}; {cause} rarely reaches there.")
    return text.format(region=region, cause=label)


def _other_region_text(region: str, eff: float, *, painted: bool) -> str:
    if painted:
        if eff > 0:
            text = _("You marked pain in the {region}; the listed causes rarely hurt there, "
                     "so a cause outside the list becomes more likely.")
        else:
            text = _("You marked pain in the {region}, where the listed causes often hurt; "
                     "this argues against a cause outside the list.")
    elif eff > 0:
        text = _("No pain is marked in the {region}, where the listed causes often hurt.")
    else:
        text = _("No pain is marked in the {region}.")
    return text.format(region=region)


# ------------------------------------------------------------------ next questions

def next_questions(ranked: list[Ranked], features: Features, kb: KnowledgeBase | None = None,
                   *, limit: int = 5) -> list[Question]:
    """Unanswered questions that best separate the leading causes (red-flag questions are
    asked through the screening, see red_flags.screening).

    For each unanswered question, its *swing* for a cause is ln LR(yes) − ln LR(no) (for
    numbers: the spread of the band LRs); for ``other`` it is 0. Its value is the
    posterior-weighted spread of the swings over the leading hypotheses: a question every
    leading cause answers the same way is worth nothing, one that pushes the top two apart
    is worth the most.
    """
    kb = kb or load_knowledge()
    tab = _tables(kb)
    leading = [r for r in ranked[:4] if r.score >= 0.03]
    if len(leading) < 2:  # one cause dominates: still separate it from the runner-up
        leading = ranked[:2]
    out: list[tuple[float, Question]] = []
    for aid, (kind, group, _q) in ANSWERS.items():
        if aid in features.answers or group == "red_flags":
            continue
        swings = {r.cause: tab.swing[r.cause][aid] for r in leading}
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
        lab = tab.labels
        if kind == "bool":
            why = _("Separates {first} from {second}: a 'yes' points towards {yes}, a 'no' "
                    "towards {no}.").format(first=lab[a.cause], second=lab[b.cause],
                                           yes=lab[favours.cause], no=lab[other.cause])
        else:
            why = _("Separates {first} from {second}: the answer weighs differently for "
                    "each.").format(first=lab[a.cause], second=lab[b.cause])
        out.append((best, Question(aid, why, "separates")))
    out.sort(key=lambda t: -t[0])
    return [q for _, q in out[:limit]]


def _swing(cause: Cause | None, aid: str) -> float:
    spec = None if cause is None else cause.answers.get(aid)
    if spec is None:
        return 0.0
    if isinstance(spec, NumberLR):
        lrs = [b.lr for b in spec.bands]
        return math.log(max(lrs)) - math.log(min(lrs))
    return math.log(spec.lr_yes) - math.log(spec.lr_no)
