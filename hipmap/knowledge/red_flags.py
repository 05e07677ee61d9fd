"""Red-flag rules and urgency. Rules override the ranking; they never depend on it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hipmap.core.ids import RED_FLAG_ANSWERS, URGENCIES
from hipmap.knowledge.base import KnowledgeBase, load_knowledge

#: The seed's reasons to book a consultation (any one is enough).
CONSULT_ANSWERS = ("worsening", "disturbs_sleep", "limits_daily_activities")
CONSULT_AFTER_DAYS = 14  # "persistent pain that lasts longer than two weeks"


@dataclass(frozen=True)
class RedFlag:
    id: str
    urgency: str
    message: str
    action: str
    triggers: tuple[str, ...]
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "urgency": self.urgency, "message": self.message,
                "action": self.action, "triggers": list(self.triggers),
                "sources": list(self.sources)}


def red_flags(answers: Mapping[str, Any], kb: KnowledgeBase | None = None) -> list[RedFlag]:
    """Every red flag raised by the answers; one entry per flag id, most urgent rule wins."""
    kb = kb or load_knowledge()
    found: dict[str, RedFlag] = {}
    for rule in kb.red_flag_rules:
        if not all(answers.get(a) is True for a in rule.all):
            continue
        hits = [a for a in rule.any if answers.get(a) is True]
        if rule.any and not hits:
            continue
        flag = RedFlag(rule.flag, rule.urgency, rule.message, rule.action,
                       tuple(dict.fromkeys([*rule.all, *hits])), rule.source)
        prev = found.get(rule.flag)
        if prev is None or URGENCIES.index(flag.urgency) > URGENCIES.index(prev.urgency):
            found[rule.flag] = flag
    return sorted(found.values(), key=lambda f: (-URGENCIES.index(f.urgency), f.id))


def urgency(answers: Mapping[str, Any], flags: list[RedFlag], *, anything_recorded: bool = True
            ) -> tuple[str, list[str]]:
    """The urgency and the plain reasons for it."""
    if flags:
        level = max((f.urgency for f in flags), key=URGENCIES.index)
        return level, [f.message for f in flags]
    reasons = []
    days = answers.get("duration_days")
    if isinstance(days, int | float) and days > CONSULT_AFTER_DAYS:
        reasons.append(f"The pain has lasted {days:g} days, more than two weeks.")
    if answers.get("worsening") is True:
        reasons.append("The pain is getting worse.")
    if answers.get("disturbs_sleep") is True:
        reasons.append("The pain disturbs sleep.")
    if answers.get("limits_daily_activities") is True:
        reasons.append("The pain makes everyday activities hard.")
    if reasons:
        return "see_clinician", reasons
    if not anything_recorded:
        return "self_care", ["Nothing has been painted or answered yet: paint where it hurts "
                             "and answer the questions, red-flag questions first."]
    return "self_care", ["No red flag and no reason to book a consultation was reported. "
                         "Review with a clinician if the pain lasts more than two weeks, "
                         "gets worse, or disturbs sleep or daily life."]


def unanswered_red_flag_questions(answers: Mapping[str, Any]) -> list[str]:
    return [a for a in RED_FLAG_ANSWERS if a not in answers]
