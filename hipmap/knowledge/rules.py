"""The condition language of red_flags.toml: predicates over the answers and the drawing.

A condition is a short string, parsed once when the knowledge base loads:

    fever_chills                    a yes/no answer answered YES
    can_bear_weight = no            a yes/no answer answered NO (``= yes`` also allowed)
    age >= 65                       a number answer compared (>=, >, <=, <, =)
    painted: groin, lateral_hip     any of these regions (or region groups) painted, either side
    bilateral: thigh, below_knee    painted on the patient's RIGHT and on the LEFT, each side
                                    somewhere in these regions or groups
    quality: shooting, burning      any of these pain qualities painted

Region tokens are base region ids (``groin``) or the contract's groups (``hip``, ``thigh``,
``knee``, ``below_knee``). A region counts as painted when its coverage reaches the model's
``painted_threshold`` (the matcher's rule).

Evaluation is three-valued: True, False, or None (unknown). A question that has not been
answered is unknown, never "yes" and never "no"; the drawing is always known. A rule fires
only when its conditions are True. Screening uses the unknowns to see which unanswered
questions could still change the verdict.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hipmap.core.ids import ANSWERS, BASE_REGIONS, QUALITIES, REGION_GROUPS
from hipmap.i18n import N_

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq}
_COMPARE = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|>|<|=)\s*(\S+)\s*$")
_WORDS = {"yes": True, "no": False, "true": True, "false": False}


class ConditionError(ValueError):
    pass


@dataclass(frozen=True)
class Situation:
    """What a condition can look at: the answers, the painted sides per base region, and
    the painted qualities."""

    answers: Mapping[str, Any]
    sides: Mapping[str, frozenset[str]]  # base region -> {"right", "left"} painted
    qualities: frozenset[str]


@dataclass(frozen=True)
class Condition:
    text: str
    kind: str  # "answer", "number", "painted", "bilateral", "quality"
    answer: str = ""  # answer id for "answer"/"number"
    value: Any = None  # True/False for "answer"; the number for "number"
    op: str = ""
    regions: frozenset[str] = frozenset()
    qualities: frozenset[str] = frozenset()

    def evaluate(self, s: Situation) -> bool | None:
        if self.kind == "answer":
            v = s.answers.get(self.answer)
            return None if not isinstance(v, bool) else v is self.value
        if self.kind == "number":
            v = s.answers.get(self.answer)
            if isinstance(v, bool) or not isinstance(v, int | float):
                return None
            return _OPS[self.op](float(v), float(self.value))
        if self.kind == "painted":
            return any(s.sides.get(r) for r in self.regions)
        if self.kind == "bilateral":
            painted = [side for r in self.regions for side in s.sides.get(r, ())]
            return "right" in painted and "left" in painted
        return bool(self.qualities & s.qualities)  # quality

    @property
    def answers(self) -> tuple[str, ...]:
        """The answer ids this condition reads."""
        return (self.answer,) if self.answer else ()

    def describe(self) -> str:
        """Plain words for the clinician's 'because' line."""
        if self.kind == "answer":
            from hipmap.knowledge.texts import answer_statement

            return answer_statement(self.answer, bool(self.value))
        from hipmap.i18n import _
        from hipmap.knowledge.texts import or_text, quality_text, region_name

        if self.kind == "number":
            words = _AGE_WORDS if self.answer == "age" else _DAYS_WORDS
            return _(words[self.op]).format(value=f"{self.value:g}")
        if self.kind == "painted":
            return _("pain marked in the {regions}").format(
                regions=or_text([region_name(r) for r in BASE_REGIONS if r in self.regions]))
        if self.kind == "bilateral":
            return _("pain marked on both sides ({regions})").format(
                regions=or_text([region_name(r) for r in BASE_REGIONS if r in self.regions]))
        words = [quality_text(q).split(" (")[0] for q in sorted(self.qualities)]
        text = words[0]
        for word in words[1:]:  # 'burning or numbness or shooting'
            text = _("{items} or {last}").format(items=text, last=word)
        return _("pain described as {qualities}").format(qualities=text)


#: A number condition in words, per operator (translated when shown).
_AGE_WORDS = {">=": N_("age {value} or over"), ">": N_("age over {value}"),
              "<=": N_("age {value} or under"), "<": N_("age under {value}"),
              "=": N_("age {value}")}
_DAYS_WORDS = {">=": N_("days of pain {value} or over"), ">": N_("days of pain over {value}"),
               "<=": N_("days of pain {value} or under"), "<": N_("days of pain under {value}"),
               "=": N_("days of pain {value}")}


def _regions(tokens: str, text: str) -> frozenset[str]:
    out: set[str] = set()
    for tok in (t.strip() for t in tokens.split(",")):
        if tok in REGION_GROUPS:
            out.update(REGION_GROUPS[tok])
        elif tok in BASE_REGIONS:
            out.add(tok)
        else:
            raise ConditionError(f"{text!r}: {tok!r} is neither a base region nor a region "
                                 f"group ({', '.join(REGION_GROUPS)})")
    if not out:
        raise ConditionError(f"{text!r}: names no region")
    return frozenset(out)


def parse(text: Any) -> Condition:
    """Parse one condition; raises ConditionError naming what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError(f"a condition must be a non-empty string, got {text!r}")
    head, colon, rest = text.partition(":")
    head = head.strip()
    if colon:
        if head in ("painted", "bilateral"):
            return Condition(text, head, regions=_regions(rest, text))
        if head == "quality":
            qs = frozenset(q.strip() for q in rest.split(","))
            bad = sorted(qs - set(QUALITIES))
            if bad or not qs:
                raise ConditionError(f"{text!r}: unknown qualities {bad} (known: "
                                     f"{', '.join(QUALITIES)})")
            return Condition(text, "quality", qualities=qs)
        raise ConditionError(f"{text!r}: unknown predicate {head!r} (painted, bilateral, "
                             "quality)")
    m = _COMPARE.match(text)
    if m is None:
        aid = text.strip()
        if ANSWERS.get(aid, ("",))[0] != "bool":
            raise ConditionError(f"{text!r}: not a yes/no answer id")
        return Condition(text, "answer", answer=aid, value=True)
    aid, op, raw = m.groups()
    spec = ANSWERS.get(aid)
    if spec is None:
        raise ConditionError(f"{text!r}: unknown answer id {aid!r}")
    if spec[0] == "bool":
        if op != "=" or raw.lower() not in _WORDS:
            raise ConditionError(f"{text!r}: a yes/no answer is compared with '= yes' or '= no'")
        return Condition(text, "answer", answer=aid, value=_WORDS[raw.lower()])
    try:
        number = float(raw)
    except ValueError:
        raise ConditionError(f"{text!r}: {raw!r} is not a number") from None
    return Condition(text, "number", answer=aid, value=number, op=op)


def all_of(conds: tuple[Condition, ...], s: Situation) -> bool | None:
    """Kleene AND: False if any is False, else None if any is unknown, else True."""
    unknown = False
    for c in conds:
        v = c.evaluate(s)
        if v is False:
            return False
        unknown |= v is None
    return None if unknown else True


def any_of(conds: tuple[Condition, ...], s: Situation) -> bool | None:
    """Kleene OR over a non-empty list (an empty list is True: no alternative required)."""
    if not conds:
        return True
    unknown = False
    for c in conds:
        v = c.evaluate(s)
        if v is True:
            return True
        unknown |= v is None
    return None if unknown else False


def both(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True
