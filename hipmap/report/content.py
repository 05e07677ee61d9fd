"""What a report of an assessment says, built once — Qt-free.

:func:`build` turns a drawing's typed :class:`~hipmap.knowledge.assessment.Assessment` into
a :class:`Content`: every line a person reads, already worded (the verdict, its reasons,
the red flags with what to do, the regions with the patient's side, the ranked causes with
their evidence in words, the questions to ask, the sources). The renderers only lay it out:
the command line's text (:mod:`hipmap.report.text`), the app's evidence view
(:mod:`hipmap.report.evidence`) and the PDF report's content. So the three can never say
different things. The records are named tuples: cheap to create and to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from hipmap.core.ids import ANSWERS
from hipmap.i18n import _
from hipmap.knowledge.assessment import headline, headline_detail, verdict_style
from hipmap.knowledge.base import KnowledgeBase, Source, load_knowledge
from hipmap.knowledge.red_flags import screening_reason
from hipmap.knowledge.texts import (
    cause_name,
    cause_short,
    coverage_text,
    effect_text,
    number_text,
    percent_text,
    question_text,
    region_label,
)

if TYPE_CHECKING:
    from hipmap.core.document import Document
    from hipmap.knowledge.assessment import Assessment


class EvidenceLine(NamedTuple):
    """One factor that moved a cause's score."""

    factor: str
    supports: bool  #: True: makes the cause more likely
    text: str  #: the matcher's sentence
    effect: str  #: 'makes it 2.3 times more likely'
    sources: tuple[str, ...]


class CauseLine(NamedTuple):
    rank: int  #: 1 = most likely
    cause: str
    short_name: str
    name: str
    plain_summary: str
    score: float
    percent: str  #: '37 %', '< 1 %'
    evidence: tuple[EvidenceLine, ...]


class RegionLine(NamedTuple):
    id: str
    label: str  #: 'RIGHT sitting bone (lower inner buttock)'
    coverage: str  #: '12%', '<1%'
    intensity: str


class FlagLine(NamedTuple):
    id: str
    urgency: str
    message: str
    action: str
    because: tuple[str, ...]


class QuestionLine(NamedTuple):
    answer: str
    question: str  #: the question as the patient reads it
    why: str
    red_flag: bool  #: asked by the red-flag screening (before any reassurance)


class Content(NamedTuple):
    """Every line of a report, in reading order."""

    patient: tuple[tuple[str, Any], ...]  #: the document's patient header, as given
    recorded_at: str | None
    style: str  #: verdict style: urgency level or "neutral"
    headline: str
    detail: str  #: what to ask while screening is pending, else ""
    reasons: tuple[str, ...]
    red_flags: tuple[FlagLine, ...]
    regions: tuple[RegionLine, ...]
    dermatomes: tuple[tuple[str, str], ...]  #: (id, coverage)
    causes: tuple[CauseLine, ...]  #: every ranked cause, best first
    questions: tuple[QuestionLine, ...]  #: red-flag questions first
    answers: tuple[tuple[str, str], ...]  #: (question, 'yes' / 'no' / number)
    knowledge_version: str
    disclaimer: str

    def cause(self, cause_id: str) -> CauseLine | None:
        return next((c for c in self.causes if c.cause == cause_id), None)

    @property
    def red_questions(self) -> tuple[QuestionLine, ...]:
        return tuple(q for q in self.questions if q.red_flag)

    @property
    def other_questions(self) -> tuple[QuestionLine, ...]:
        return tuple(q for q in self.questions if not q.red_flag)


def build(assessment: Assessment, doc: Document | None = None,
          kb: KnowledgeBase | None = None) -> Content:
    """The content of a report of ``assessment`` (of ``doc``, when given: patient, answers)."""
    kb = kb or load_knowledge()
    a = assessment
    detail = headline_detail(a)
    said = screening_reason(a.unscreened) if detail else None  # the detail says it already
    reasons = tuple(r for r in a.urgency_reasons if r != said)
    causes = tuple(
        CauseLine(rank=i, cause=r.cause, short_name=cause_short(kb, r.cause),
                  name=cause_name(kb, r.cause),
                  plain_summary=_(kb.causes[r.cause].plain_summary),
                  score=r.score, percent=percent_text(r.score),
                  evidence=tuple(EvidenceLine(e.factor, e.effect > 0, e.text,
                                              effect_text(round(e.effect, 3)), e.sources)
                                 for e in r.evidence))
        for i, r in enumerate(a.ranking, start=1))
    answers: tuple[tuple[str, str], ...] = ()
    if doc is not None:
        answers = tuple((question_text(aid), yes_no(v) if isinstance(v, bool) else
                         number_text(v))
                        for aid, v in doc.effective_answers().items() if aid in ANSWERS)
    return Content(
        patient=tuple((k, v) for k, v in ((doc.patient or {}) if doc else {}).items()
                      if v is not None),
        recorded_at=doc.recorded_at if doc else None,
        style=verdict_style(a), headline=headline(a), detail=detail, reasons=reasons,
        red_flags=tuple(FlagLine(f.id, f.urgency, f.message, f.action, f.because)
                        for f in a.red_flags),
        regions=tuple(RegionLine(r.id, region_label(r.id), coverage_text(r.coverage),
                                 number_text(r.intensity)) for r in a.regions),
        dermatomes=tuple((d.id, coverage_text(d.coverage)) for d in a.dermatomes),
        causes=causes,
        questions=tuple(QuestionLine(q.answer, question_text(q.answer), q.why,
                                     q.kind == "red_flag") for q in a.next_questions),
        answers=answers,
        knowledge_version=a.knowledge_version, disclaimer=a.disclaimer)


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


class Citations:
    """Sources numbered in the order they are first cited ('[1, 3]')."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.order: dict[str, int] = {}

    def cite(self, source_ids: tuple[str, ...] | list[str]) -> list[int]:
        return [self.order.setdefault(s, len(self.order) + 1) for s in source_ids]

    def sources(self) -> list[tuple[int, str, Source | None]]:
        """(number, id, the source or None when the knowledge base does not know it)."""
        return [(n, s, self.kb.sources.get(s)) for s, n in self.order.items()]
