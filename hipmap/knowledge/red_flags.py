"""Red-flag rules, red-flag screening and urgency. Rules override the ranking; they never
depend on it. The rules and the screens are data (assets/knowledge/red_flags.toml); the
condition language is in rules.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hipmap.core.ids import URGENCIES
from hipmap.i18n import N_, _, ngettext
from hipmap.knowledge.base import KnowledgeBase, load_knowledge
from hipmap.knowledge.rules import Situation, all_of, any_of, both
from hipmap.knowledge.texts import screening_text

if TYPE_CHECKING:
    from hipmap.knowledge.matcher import Features

#: The seed's reasons to book a consultation (any one is enough), with the sentence for each.
CONSULT_ANSWERS = {"worsening": N_("The pain is getting worse."),
                   "disturbs_sleep": N_("The pain disturbs sleep."),
                   "limits_daily_activities": N_("The pain makes everyday activities hard.")}
CONSULT_AFTER_DAYS = 14  # "persistent pain that lasts longer than two weeks"


@dataclass(frozen=True)
class RedFlag:
    id: str
    urgency: str
    message: str
    action: str
    triggers: tuple[str, ...]  # the answer ids that raised it
    sources: tuple[str, ...]
    because: tuple[str, ...] = ()  # every condition that held, in plain words

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "urgency": self.urgency, "message": self.message,
                "action": self.action, "triggers": list(self.triggers),
                "because": list(self.because), "sources": list(self.sources)}


def situation(answers: Mapping[str, Any], features: Features | None = None) -> Situation:
    """What the rules look at: the answers, and the drawing when there is one."""
    if features is None:
        return Situation(answers=answers, sides={}, qualities=frozenset())
    return Situation(answers=answers, sides=features.sides, qualities=features.qualities)


def red_flags(answers: Mapping[str, Any], kb: KnowledgeBase | None = None, *,
              features: Features | None = None) -> list[RedFlag]:
    """Every red flag raised by the answers and the drawing; one entry per flag id, the most
    urgent rule wins. An unanswered question never makes a rule fire."""
    kb = kb or load_knowledge()
    s = situation(answers, features)
    found: dict[str, RedFlag] = {}
    for rule in kb.red_flag_rules:
        if both(all_of(rule.all, s), any_of(rule.any, s)) is not True:
            continue
        held = [c for c in rule.all if c.evaluate(s) is True]
        held += [c for c in rule.any if c.evaluate(s) is True]
        triggers = tuple(dict.fromkeys(a for c in held for a in c.answers))
        flag = RedFlag(rule.flag, rule.urgency, _(rule.message), _(rule.action), triggers,
                       rule.source, tuple(c.describe() for c in held))
        prev = found.get(rule.flag)
        if prev is None or URGENCIES.index(flag.urgency) > URGENCIES.index(prev.urgency):
            found[rule.flag] = flag
    return sorted(found.values(), key=lambda f: (-URGENCIES.index(f.urgency), f.id))


@dataclass(frozen=True)
class Screening:
    complete: bool
    unscreened: tuple[str, ...]  # most important first
    why: dict[str, str]  # answer id -> why it matters here (the first screen that asked it)

    @property
    def status(self) -> str:
        return "complete" if self.complete else "incomplete"


def screening(answers: Mapping[str, Any], kb: KnowledgeBase | None = None, *,
              features: Features | None = None) -> Screening:
    """The red-flag questions that matter for this drawing and these answers and are still
    unanswered, most important first (contract 1.1 §3b). The screens of red_flags.toml that
    apply, in file order; a screen with no conditions (``core``) always applies."""
    kb = kb or load_knowledge()
    s = situation(answers, features)
    order: dict[str, str] = {}
    for sc in kb.screens:
        holds = both(all_of(sc.when, s), any_of(sc.when_any, s))
        if holds is False or (holds is None and not sc.ask_if_unknown):
            continue
        for aid in sc.ask:
            if aid not in answers and aid not in order:
                order[aid] = _(sc.why) if sc.why else ""
    return Screening(complete=not order, unscreened=tuple(order), why=order)


def urgency(answers: Mapping[str, Any], flags: list[RedFlag], *, anything_recorded: bool = True,
            unscreened: tuple[str, ...] | list[str] = ()) -> tuple[str, list[str]]:
    """The urgency and the plain reasons for it.

    Red flags decide when any is raised. Otherwise, while the red-flag screening is
    incomplete the urgency is at least ``see_clinician`` and the first reason says what to
    ask: hipmap never reassures before the red-flag questions are answered."""
    if flags:
        level = max((f.urgency for f in flags), key=URGENCIES.index)
        return level, [f.message for f in flags]
    reasons = []
    if not anything_recorded:
        reasons.append(_("Nothing has been painted or answered yet: paint where it hurts and "
                         "answer the questions, red-flag questions first."))
    if unscreened:
        reasons.append(screening_reason(unscreened))
    days = answers.get("duration_days")
    consult = []
    if isinstance(days, int | float) and not isinstance(days, bool) \
            and days > CONSULT_AFTER_DAYS:
        consult.append(_("The pain has lasted {days} days, more than two weeks.").format(
            days=f"{days:g}"))
    consult += [_(text) for aid, text in CONSULT_ANSWERS.items() if answers.get(aid) is True]
    reasons += consult
    if consult or unscreened:
        return "see_clinician", reasons
    reasons.append(_("No red flag and no reason to book a consultation was reported. Review "
                     "with a clinician if the pain lasts more than two weeks, gets worse, or "
                     "disturbs sleep or daily life."))
    return "self_care", reasons


def screening_reason(unscreened: tuple[str, ...] | list[str]) -> str:
    """The urgency reason while red-flag screening is incomplete: how many questions are
    left and which. Every surface that shows the headline's detail leaves it out (it says
    the same)."""
    n = len(unscreened)
    return ngettext("Red-flag screening is incomplete: {n} red-flag question still to ask. "
                    "{ask}", "Red-flag screening is incomplete: {n} red-flag questions still "
                    "to ask. {ask}", n).format(n=n, ask=screening_text(list(unscreened)))


def unanswered_red_flag_questions(answers: Mapping[str, Any]) -> list[str]:
    """Every red-flag question not answered (``red_flags_not_asked``, kept for 1.0 readers)."""
    from hipmap.core.ids import RED_FLAG_ANSWERS

    return [a for a in RED_FLAG_ANSWERS if a not in answers]
