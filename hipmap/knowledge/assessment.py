"""The assessment of a drawing (contract sections 3 and 3b): regions, dermatomes, ranking,
red flags, the red-flag screening, and the one wording of the verdict (:func:`headline`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from hipmap.core.document import Document
from hipmap.i18n import _
from hipmap.knowledge.base import KnowledgeBase, load_knowledge
from hipmap.knowledge.matcher import Question, Ranked, features_from, next_questions, rank
from hipmap.knowledge.red_flags import (
    RedFlag,
    red_flags,
    screening,
    unanswered_red_flag_questions,
    urgency,
)
from hipmap.knowledge.texts import screening_text

if TYPE_CHECKING:
    from hipmap.geometry.coverage import Coverage

FORMAT = "hipmap.assessment/1"


class AreaPain(NamedTuple):
    """A painted region or dermatome: ``coverage`` 0-1 (4 decimals, as the JSON says) and
    the highest intensity there."""

    id: str
    coverage: float
    intensity: float

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "coverage": round(self.coverage, 4), "intensity": _n(self.intensity)}


@dataclass(frozen=True)
class Assessment:
    """The assessment of a drawing (contract sections 3 and 3b), typed. Front ends read its
    fields; :meth:`to_json` makes the contract's JSON at the edges (the command line, FHIR,
    the record's snapshot)."""

    urgency: str  #: one of hipmap.core.ids.URGENCIES
    urgency_reasons: tuple[str, ...]
    nothing_recorded: bool
    screening: str  #: "complete" or "incomplete"
    unscreened: tuple[str, ...]  #: unanswered red-flag answer ids, most important first
    red_flags: tuple[RedFlag, ...]  #: most urgent first
    regions: tuple[AreaPain, ...]  #: sorted by id
    dermatomes: tuple[AreaPain, ...]
    ranking: tuple[Ranked, ...]  #: every cause and ``other``, best first
    next_questions: tuple[Question, ...]  #: red-flag questions first
    red_flags_not_asked: tuple[str, ...]
    knowledge_version: str
    disclaimer: str

    def ranked(self, cause: str) -> tuple[int, Ranked] | None:
        """The rank (1 = first) and entry of one cause id, or None."""
        for i, r in enumerate(self.ranking, start=1):
            if r.cause == cause:
                return i, r
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "urgency": self.urgency,
            "urgency_reasons": list(self.urgency_reasons),
            "nothing_recorded": self.nothing_recorded,
            "screening": self.screening,
            "unscreened": list(self.unscreened),
            "red_flags": [f.to_json() for f in self.red_flags],
            "regions": [r.to_json() for r in self.regions],
            "dermatomes": [d.to_json() for d in self.dermatomes],
            "ranking": [r.to_json() for r in self.ranking],
            "next_questions": [q.to_json() for q in self.next_questions],
            "red_flags_not_asked": list(self.red_flags_not_asked),
            "knowledge_version": self.knowledge_version,
            "knowledge_base": {"version": self.knowledge_version,
                               "disclaimer": self.disclaimer},
        }


def assess(doc: Document, coverage: Coverage | None = None,
           kb: KnowledgeBase | None = None) -> Assessment:
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
    questions = [Question(a, screen.why[a], "red_flag") for a in screen.unscreened]
    questions += next_questions(ranked, features, kb)
    for r in ranked:  # what every surface shows is what the JSON says
        r.score = round(r.score, 4)
    return Assessment(
        urgency=level,
        urgency_reasons=tuple(reasons),
        nothing_recorded=not recorded,
        screening=screen.status,
        unscreened=tuple(screen.unscreened),
        red_flags=tuple(flags),
        regions=tuple(AreaPain(r, round(c.coverage, 4), _n(c.intensity))
                      for r, c in regions.items()),
        dermatomes=tuple(AreaPain(d, round(c.coverage, 4), _n(c.intensity))
                         for d, c in dermatomes.items()),
        ranking=tuple(ranked),
        next_questions=tuple(questions),
        red_flags_not_asked=tuple(unanswered_red_flag_questions(answers)),
        knowledge_version=kb.version,
        disclaimer=_(kb.disclaimer) if kb.disclaimer else "",
    )


def _n(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(v, 2)


#: How each verdict is styled on every surface: the urgency levels, plus ``neutral`` for
#: "nothing recorded" and "red-flag screening incomplete" (never green, never red).
VERDICT_STYLES = ("emergency", "urgent", "see_clinician", "self_care", "neutral")


Verdict = Assessment | Mapping[str, Any]
"""A live assessment, or its contract JSON (a visit's stored snapshot): the verdict below is
worded the same from either."""


def _get(a: Verdict, key: str, default: Any = None) -> Any:
    return getattr(a, key, default) if isinstance(a, Assessment) else a.get(key, default)


def screening_pending(assessment: Verdict) -> bool:
    """True while no red flag is raised and red-flag questions that matter are unanswered:
    no surface may present a verdict of reassurance then."""
    return (not _get(assessment, "red_flags")
            and _get(assessment, "screening", "complete") == "incomplete")


def verdict_style(assessment: Verdict) -> str:
    """One of VERDICT_STYLES: the colour family every surface gives the headline."""
    if _get(assessment, "nothing_recorded") or screening_pending(assessment):
        return "neutral"
    return str(_get(assessment, "urgency"))


def headline(assessment: Verdict) -> str:
    """The verdict in words: the single place it is worded (CLI text, app, PDF, kiosk)."""
    if _get(assessment, "nothing_recorded"):
        return _("Nothing recorded yet")
    if screening_pending(assessment):
        return _("Red-flag screening incomplete")
    urgency = _get(assessment, "urgency")
    if urgency == "emergency":
        return _("EMERGENCY: get emergency care now")
    if urgency == "urgent":
        return _("URGENT: see a clinician within a day or two")
    if urgency == "see_clinician":
        return _("Book an appointment with a clinician")
    if urgency == "self_care":
        return _("Conservative self-care; review if it persists")
    raise KeyError(urgency)


def headline_detail(assessment: Verdict) -> str:
    """The line under the headline while screening is pending: what to ask, then what the
    urgency is at least. Empty otherwise."""
    if not screening_pending(assessment):
        return ""
    ask = screening_text(list(_get(assessment, "unscreened", ())))
    return _("{ask} Until these are answered, hipmap gives no reassurance: book an "
             "appointment with a clinician at least.").format(ask=ask)
