"""The assessment of a drawing (contract section 3): regions, dermatomes, ranking, red flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hipmap.core.document import Document
from hipmap.knowledge.base import KnowledgeBase, load_knowledge
from hipmap.knowledge.matcher import features_from, next_questions, rank
from hipmap.knowledge.red_flags import red_flags, unanswered_red_flag_questions, urgency

if TYPE_CHECKING:
    from hipmap.geometry.coverage import Coverage

FORMAT = "hipmap.assessment/1"
BELOW_KNEE_LEGS = ("anterior_leg", "medial_leg", "lateral_leg", "posterior_leg",
                   "dorsal_foot", "plantar_foot")


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
    flags = red_flags(answers, kb)
    recorded = bool(doc.marks or answers)
    level, reasons = urgency(answers, flags, anything_recorded=recorded)
    questions = next_questions(ranked, features, kb)
    unasked = unanswered_red_flag_questions(answers)
    # Pain down both legs below the knee is a cauda equina warning sign (NICE CKS: bilateral
    # sciatica): ask the cauda equina questions first.
    both_legs = any(len(features.sides.get(r, ())) == 2 for r in BELOW_KNEE_LEGS)
    if both_legs:
        urgent_qs = [{"answer": a, "why": "Pain in both legs: bladder, bowel and saddle "
                      "sensation must be checked to rule out cauda equina syndrome."}
                     for a in ("bowel_bladder", "saddle_numbness") if a in unasked]
        questions = urgent_qs + questions
    return {
        "format": FORMAT,
        "urgency": level,
        "urgency_reasons": reasons,
        "nothing_recorded": not recorded,
        "red_flags": [f.to_json() for f in flags],
        "regions": [{"id": r, "coverage": round(c.coverage, 4), "intensity": _n(c.intensity)}
                    for r, c in regions.items()],
        "dermatomes": [{"id": d, "coverage": round(c.coverage, 4), "intensity": _n(c.intensity)}
                       for d, c in dermatomes.items()],
        "ranking": [r.to_json() for r in ranked],
        "next_questions": questions,
        "red_flags_not_asked": unasked,
        "knowledge_base": {"version": kb.version, "disclaimer": kb.disclaimer},
    }


def _n(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(v, 2)


def headline(assessment: dict[str, Any]) -> str:
    if assessment.get("nothing_recorded"):
        return "Nothing recorded yet"
    return {
        "emergency": "EMERGENCY: get emergency care now",
        "urgent": "URGENT: see a clinician within a day or two",
        "see_clinician": "Book an appointment with a clinician",
        "self_care": "Conservative self-care; review if it persists",
    }[assessment["urgency"]]


