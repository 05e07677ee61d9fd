"""The assessment of a drawing (contract sections 3 and 3b): regions, dermatomes, ranking,
red flags, the red-flag screening, and the one wording of the verdict (:func:`headline`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hipmap.core.document import Document
from hipmap.knowledge.base import KnowledgeBase, load_knowledge
from hipmap.knowledge.matcher import features_from, next_questions, rank
from hipmap.knowledge.red_flags import (
    red_flags,
    screening,
    unanswered_red_flag_questions,
    urgency,
)
from hipmap.knowledge.texts import screening_text

if TYPE_CHECKING:
    from hipmap.geometry.coverage import Coverage

FORMAT = "hipmap.assessment/1"


def assess(doc: Document, coverage: Coverage | None = None,
           kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """Assess a document. Pass the GUI's live incremental ``coverage`` to skip geometry."""
    kb = kb or load_knowledge()
    if coverage is None:
        from hipmap.geometry.coverage import coverage_of  # numpy + shapely: only when needed

        coverage = coverage_of(doc)
    cov = coverage
    regions = {rid: c for rid, c in cov.regions().items() if c.coverage > 0 and c.intensity > 0}
    dermatomes = {d: c for d, c in cov.dermatomes().items() if c.coverage > 0 and c.intensity > 0}
    features = features_from({r: (c.coverage, c.intensity) for r, c in regions.items()}, doc, kb)
    ranked = rank(features, kb)
    answers = features.answers
    flags = red_flags(answers, kb, features=features)
    screen = screening(answers, kb, features=features)
    recorded = bool(doc.marks or answers)
    level, reasons = urgency(answers, flags, anything_recorded=recorded,
                             unscreened=screen.unscreened)
    # Ask next: the unscreened red-flag questions first (most important first), then the
    # questions that best separate the leading causes.
    questions = [{"answer": a, "why": screen.why[a], "kind": "red_flag"}
                 for a in screen.unscreened]
    questions += next_questions(ranked, features, kb)
    return {
        "format": FORMAT,
        "urgency": level,
        "urgency_reasons": reasons,
        "nothing_recorded": not recorded,
        "screening": screen.status,
        "unscreened": list(screen.unscreened),
        "red_flags": [f.to_json() for f in flags],
        "regions": [{"id": r, "coverage": round(c.coverage, 4), "intensity": _n(c.intensity)}
                    for r, c in regions.items()],
        "dermatomes": [{"id": d, "coverage": round(c.coverage, 4), "intensity": _n(c.intensity)}
                       for d, c in dermatomes.items()],
        "ranking": [r.to_json() for r in ranked],
        "next_questions": questions,
        "red_flags_not_asked": unanswered_red_flag_questions(answers),
        "knowledge_version": kb.version,
        "knowledge_base": {"version": kb.version, "disclaimer": kb.disclaimer},
    }


def _n(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(v, 2)


#: How each verdict is styled on every surface: the urgency levels, plus ``neutral`` for
#: "nothing recorded" and "red-flag screening incomplete" (never green, never red).
VERDICT_STYLES = ("emergency", "urgent", "see_clinician", "self_care", "neutral")


def screening_pending(assessment: dict[str, Any]) -> bool:
    """True while no red flag is raised and red-flag questions that matter are unanswered:
    no surface may present a verdict of reassurance then."""
    return (not assessment.get("red_flags")
            and assessment.get("screening", "complete") == "incomplete")


def verdict_style(assessment: dict[str, Any]) -> str:
    """One of VERDICT_STYLES: the colour family every surface gives the headline."""
    if assessment.get("nothing_recorded") or screening_pending(assessment):
        return "neutral"
    return str(assessment["urgency"])


def headline(assessment: dict[str, Any]) -> str:
    """The verdict in words: the single place it is worded (CLI text, app, PDF, kiosk)."""
    if assessment.get("nothing_recorded"):
        return "Nothing recorded yet"
    if screening_pending(assessment):
        return "Red-flag screening incomplete"
    return {
        "emergency": "EMERGENCY: get emergency care now",
        "urgent": "URGENT: see a clinician within a day or two",
        "see_clinician": "Book an appointment with a clinician",
        "self_care": "Conservative self-care; review if it persists",
    }[assessment["urgency"]]


def headline_detail(assessment: dict[str, Any]) -> str:
    """The line under the headline while screening is pending: what to ask, then what the
    urgency is at least. Empty otherwise."""
    if not screening_pending(assessment):
        return ""
    ask = screening_text(list(assessment.get("unscreened", [])))
    return (f"{ask} Until these are answered, hipmap gives no reassurance: book an "
            "appointment with a clinician at least.")
