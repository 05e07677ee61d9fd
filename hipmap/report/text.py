"""The assessment as plain text (``hipmap assess --format text``), laid out from the one
report content (:mod:`hipmap.report.content`)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from hipmap.i18n import _
from hipmap.knowledge.texts import (
    id_text,
    list_text,
    patient_key_text,
    patient_value_text,
    sentence,
)
from hipmap.report.content import Content, build

if TYPE_CHECKING:
    from hipmap.core.document import Document
    from hipmap.knowledge.assessment import Assessment
    from hipmap.knowledge.base import KnowledgeBase

WIDTH = 88
#: causes shown with their name and evidence, and the evidence lines shown for each
DETAILED_CAUSES = 3
EVIDENCE_LINES = 5
BAR = 30  # characters for a score of 100 %


def wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def assessment_text(doc: Document, a: Assessment, kb: KnowledgeBase | None = None) -> str:
    return content_text(build(a, doc, kb))


def content_text(c: Content) -> str:
    title = _("hipmap assessment")
    out = [title, "=" * len(title), ""]
    if c.patient:
        out.append(_("Patient: {who}").format(
            who=list_text([f"{patient_key_text(k)} {patient_value_text(k, v)}"
                           for k, v in c.patient])))
    out.append(_("URGENCY: {headline}").format(headline=c.headline))
    if c.detail:
        out.append(wrap(c.detail))
    out += [wrap(f"- {reason}") for reason in c.reasons]
    if c.red_flags:
        out += ["", _("RED FLAGS — these come before any ranking:")]
        for f in c.red_flags:
            out.append(wrap(f"! {f.id} ({id_text(f.urgency)}): {f.message}"))
            out.append(wrap("  " + _("What to do now: {action}").format(action=f.action)))
            if f.because:
                out.append(wrap("  " + _("Because: {reasons}").format(
                    reasons="; ".join(f.because))))
    out += ["", _("Where it hurts (patient's sides):")]
    if not c.regions:
        out.append("  " + _("nothing painted"))
    for r in c.regions:
        out.append(f"  {r.label:<44} " + _("{coverage} covered, intensity {intensity}").format(
            coverage=f"{r.coverage:>5}", intensity=r.intensity))
    if c.dermatomes:
        derm = list_text([f"{d} {cov}" for d, cov in c.dermatomes])
        out.append(wrap(_("Dermatomes (consensus map; real ones vary): {dermatomes}").format(
            dermatomes=derm), ""))
    out += ["", _("Candidate causes, most likely first (not a diagnosis; 'Other' = none of "
                  "the listed causes fits well):")]
    for cl in c.causes:
        bar = "#" * round(cl.score * BAR)
        out.append(f"{cl.rank:>2}. {cl.short_name:<18} {cl.percent:>6}  {bar}")
        if cl.rank <= DETAILED_CAUSES:
            out.append(wrap(cl.name, "      "))
            for e in cl.evidence[:EVIDENCE_LINES]:
                sign = "+" if e.supports else "-"
                out.append(wrap(f"{sign} {e.text} ({sentence(e.effect)}.)", "      "))
    if c.red_questions:
        out += ["", _("Ask first — red-flag questions still unanswered (most important "
                      "first):")]
        last_why = None
        for q in c.red_questions:
            if q.why != last_why:
                out.append(wrap(f"({q.why})", "  "))
                last_why = q.why
            out.append(wrap(f"! {q.question}", "    "))
    if c.other_questions:
        out += ["", _("Then ask (separates the leading causes):")]
        out += [wrap(f"? {q.question}  — {q.why}") for q in c.other_questions]
    out += ["", wrap(_("Knowledge base {version}. {disclaimer}").format(
        version=c.knowledge_version, disclaimer=c.disclaimer), ""), ""]
    return "\n".join(out)
