"""The clinical report's content (Qt-free): what ``hipmap report`` and File → Print say.

One builder for both, so the record copy is the same document wherever it is made: the
urgency and red flags first, the drawing with its legend, the regions, the answers, the
ranked causes with cited evidence, the questions to ask next, and the sources (by citation
and public address — never a path inside hipmap's repository). The Qt layer
(``hipmap.ui.report``) lays it out on pages with the patient id, the date and
"page x of y" on every page, and supplies the two pictures named here.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from hipmap.core.document import Document
from hipmap.core.ids import ANSWERS
from hipmap.i18n import N_, _
from hipmap.knowledge import assessment as _assessment
from hipmap.knowledge import texts as _texts
from hipmap.knowledge.assessment import Assessment, assess, headline
from hipmap.knowledge.base import KnowledgeBase, load_knowledge
from hipmap.knowledge.red_flags import screening_reason
from hipmap.knowledge.texts import (
    id_text,
    patient_value_text,
    question_text,
    region_label,
)

DIAGRAM_URL = "hipmap://diagram.png"
LEGEND_URL = "hipmap://legend.png"
#: by the knowledge base's verdict style (its urgency, or "neutral" while red-flag screening
#: is pending or nothing is recorded)
URGENCY_COLOURS = {"emergency": "#b00020", "urgent": "#c25700", "see_clinician": "#1d4e89",
                   "self_care": "#2e6b30", "neutral": "#4a4f55"}


# The wording of verdicts, scores, effects and cause names belongs to the knowledge base
# (hipmap.knowledge); these use its helpers where this version has them.
def verdict_style(a: dict[str, Any]) -> str:
    fn = getattr(_assessment, "verdict_style", None)
    return fn(a) if fn else str(a.get("urgency", "see_clinician"))


def headline_detail(a: dict[str, Any]) -> str:
    fn = getattr(_assessment, "headline_detail", None)
    return fn(a) if fn else ""


def score_text(score: float) -> str:
    fn = getattr(_texts, "percent_text", None)
    return fn(score) if fn else f"{float(score) * 100:.1f}%"


def effect_words(effect: float) -> str:
    fn = getattr(_texts, "effect_text", None)
    return fn(effect) if fn else ""


def cause_title(kb: KnowledgeBase, cause_id: str) -> tuple[str, str]:
    """(short name, full name) of a cause id, ``other`` included."""
    short, full = getattr(_texts, "cause_short", None), getattr(_texts, "cause_name", None)
    if short and full:
        return short(kb, cause_id), full(kb, cause_id)
    cause = kb.causes.get(cause_id)
    if cause is None:
        name = cause_id.replace("_", " ").capitalize()
        return name, name
    return re.sub(r"\s*\([^)]*\)", "", cause.name).strip(), cause.name
TITLE = N_("hipmap pain drawing report")  # shown through _()

#: the section titles (English: the keys of ReportContent.sections), in the order the report
#: gives them; the headings on the page are translated
SECTIONS = ("Urgency", "Red flags", "The drawing", "Where it hurts", "Answers",
            "Candidate causes", "Ask next", "Sources")


@dataclass
class ReportContent:
    title: str
    patient_line: str  # "Patient P-0042 · 58 years · female"
    date_line: str  # "Drawn 2026-11-25 10:30 UTC"
    running_head: str  # on every page: patient id and date
    html: str  # the body, for Qt's rich-text layout
    sections: list[str] = field(default_factory=list)


def _e(text: Any) -> str:
    return html.escape(str(text))


def _h(text: str) -> str:
    """A text of the report's own, translated, for HTML (quotes left as they are)."""
    return html.escape(text, quote=False)


def _breakable(text: str, every: int = 16) -> str:
    """A long unbroken word (a 100-character patient id) may wrap: a zero-width space
    every ``every`` characters of any word longer than 24."""
    return " ".join(
        "\u200b".join(w[i:i + every] for i in range(0, len(w), every)) if len(w) > 24 else w
        for w in text.split(" "))


def when_text(recorded_at: str | None) -> str | None:
    """A document's ``recorded_at`` for a person: UTC with the zone said, or the day."""
    if not recorded_at:
        return None
    text = recorded_at.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if when.tzinfo is None:
        return _("{when} (local time)").format(when=when.strftime("%Y-%m-%d %H:%M"))
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


_INTERNAL = re.compile(r",?\s*(as summari[sz]ed in\s+)?[\w./-]+\.md\b(\s+section\s+[\w.§]+)?",
                       re.IGNORECASE)


def public_source(citation: str, url: str | None) -> tuple[str, str | None]:
    """A source as a reader can find it: the citation without any reference to hipmap's
    own files, and the address only when it is a public one (a scheme such as https)."""
    cleaned = " ".join(_INTERNAL.sub("", citation).split()).rstrip(" ,;")
    public = url if url and re.match(r"^[a-z][a-z0-9+.-]*://", url) else None
    return cleaned or citation, public


def since_html(since: dict[str, Any]) -> str:
    """The "since the last visit" section's body: ``since`` is the changes of
    :func:`hipmap.storage.history.changes` (regions new, resolved, still painted, intensity)
    with ``date``, the earlier visit's date."""

    def names(ids: list[str]) -> str:
        return ", ".join(_e(_texts.region_label(r, full=False)) for r in ids)

    rows = []
    for key, label in (("new", _("New pain")), ("resolved", _("No longer painted")),
                       ("unchanged", _("Still painted"))):
        if since.get(key):
            rows.append(f"<tr><td><b>{_e(label)}</b></td><td>{names(since[key])}</td></tr>")
    intensity = _("Intensity")
    for c in since.get("intensity", []):
        rows.append(f"<tr><td><b>{_e(intensity)}</b></td><td>"
                    f"{_e(_texts.region_label(c['id'], full=False))}: {_e(c['before'])} → "
                    f"{_e(c['after'])}</td></tr>")
    if not rows:
        none = _("No change in the painted regions.")
        rows.append(f"<tr><td colspan='2'>{_e(none)}</td></tr>")
    return "<table cellspacing='0' cellpadding='2'>" + "".join(rows) + "</table>"


def build_report(doc: Document, assessment: dict[str, Any] | Assessment | None = None, *,
                 kb: KnowledgeBase | None = None, printed_at: str | None = None,
                 since: dict[str, Any] | None = None) -> ReportContent:
    """``since``: what changed since the patient's previous visit (the clinic record's
    history), shown after "Where it hurts"."""
    kb = kb or load_knowledge()
    a: Any = assessment or assess(doc, kb=kb)
    if not isinstance(a, dict):  # the typed Assessment: the report reads its contract JSON
        a = a.to_json()
    p = doc.patient or {}
    pid = None if p.get("id") is None else str(p["id"])
    bits = [_("Patient {id}").format(id=pid) if pid else _("Patient not identified")]
    age = doc.age
    if age is not None:
        bits.append(_("{age} years").format(age=f"{age:g}"))
    if p.get("sex"):
        bits.append(patient_value_text("sex", p["sex"]))
    patient_line = " · ".join(bits)
    drawn = when_text(doc.recorded_at)
    printed = printed_at or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    date_line = (_("Drawn {when}").format(when=drawn) if drawn else
                 _("Date of drawing not recorded; printed {when}").format(when=printed))
    running_head = " · ".join((pid or _("patient not identified"),
                               drawn or _("printed {when}").format(when=printed)))

    colour = URGENCY_COLOURS.get(verdict_style(a), "#1d4e89")
    out: list[str] = [
        "<html><body style='font-family: DejaVu Sans; font-size: 9pt'>",
        f"<h2 style='margin:0'>{_e(_(TITLE))}</h2>",
        f"<p style='margin-top:2px'><b>{_e(_breakable(patient_line))}</b> — {_e(date_line)}<br/>"
        + _e(_("Knowledge base {version}.").format(version=kb.version)) + " "
        + _h(_("RIGHT and LEFT are the patient's own sides. hipmap supports clinical "
               "judgement; it does not diagnose.")) + "</p>",
    ]
    sections = []

    def section(title: str, heading: str, colour_: str = "#222") -> None:
        sections.append(title)
        out.append(f"<h3 style='color:{colour_}; margin-bottom:2px'>{_e(heading)}</h3>")

    # ---------------------------------------------------------------- urgency and red flags
    sections.append("Urgency")
    detail = headline_detail(a)
    said = screening_reason(a.get("unscreened", [])) if detail else None  # detail says it
    reasons = [r for r in a.get("urgency_reasons", []) if r != said]
    out.append(f"<table width='100%' cellpadding='6' style='background:{colour}; color:white'>"
               f"<tr><td><b style='font-size:13pt'>{_e(headline(a))}</b>"
               + (f"<br/>{_e(detail)}" if detail else "")
               + "".join(f"<br/>{_e(r)}" for r in reasons)
               + "</td></tr></table>")
    flags = a.get("red_flags", [])
    unscreened = [q for q in a.get("unscreened", []) if q in ANSWERS]
    not_asked = [q for q in a.get("red_flags_not_asked", []) if q in ANSWERS]
    section("Red flags", _("Red flags — these come before any ranking"), "#b00020")
    if flags:
        out.append("<ul>")
        for f in flags:
            out.append(f"<li><b>{_e(f['id'])} ({_e(id_text(str(f.get('urgency', ''))))})</b>: "
                       f"{_e(f['message'])} <b>" + _h(_("What to do now:")) + "</b> "
                       f"{_e(f.get('action', ''))}</li>")
        out.append("</ul>")
    else:
        out.append("<p>" + _h(_("No red flag was raised by the answers given.")) + "</p>")
    if a.get("screening") == "incomplete" or unscreened:
        out.append("<p><b>" + _h(_("Red-flag screening is incomplete. Ask first:")) + "</b> "
                   + "; ".join(_e(question_text(q)) for q in unscreened) + "</p>")
    elif not_asked:
        out.append("<p><b>" + _h(_("Red-flag questions not yet asked:")) + "</b> "
                   + "; ".join(_e(question_text(q)) for q in not_asked) + "</p>")

    # ---------------------------------------------------------------- the drawing
    section("The drawing", _("The drawing (front, back, right side, left side)"))
    out.append(f"<p><img src='{DIAGRAM_URL}' width='100%'/><br/>"
               f"<img src='{LEGEND_URL}'/></p>")

    # ---------------------------------------------------------------- regions
    section("Where it hurts", _("Where it hurts (the patient's sides)"))
    out.append("<table border='1' cellspacing='0' cellpadding='3'>"
               "<tr><th align='left'>" + _h(_("Region")) + "</th><th>" + _h(_("Painted"))
               + "</th><th>" + _h(_("Intensity (0-10)")) + "</th></tr>")
    for r in a.get("regions", []):
        cov = r["coverage"] * 100
        pct = _e(_("<1%") if 0 < cov < 1 else _("{percent}%").format(percent=f"{cov:.0f}"))
        out.append(f"<tr><td>{_e(region_label(r['id']))}</td>"
                   f"<td align='right'>{pct}</td>"
                   f"<td align='right'>{_e(r['intensity'])}</td></tr>")
    if not a.get("regions"):
        out.append("<tr><td colspan='3'>" + _h(_("nothing painted")) + "</td></tr>")
    out.append("</table>")
    if a.get("dermatomes"):
        listed = ", ".join(f"{d['id']} " + _("{percent}%").format(
            percent=f"{d['coverage'] * 100:.0f}") for d in a["dermatomes"])
        out.append("<p>" + _h(_("Dermatomes (a textbook-consensus map; real dermatomes overlap "
                                "and vary, so this is a hint, not a level): {dermatomes}")
                              .format(dermatomes=listed)) + "</p>")

    # ---------------------------------------------------------------- since the last visit
    if since is not None:
        section("Since the last visit", _("Since the last visit (visit {visit}, {date})").format(
            visit=since.get("since_visit"), date=str(since.get("date", ""))[:10]))
        out.append(since_html(since))

    # ---------------------------------------------------------------- answers
    section("Answers", _("Answers"))
    answered = doc.effective_answers()
    if answered:
        out.append("<table cellspacing='0' cellpadding='2'>")
        for aid, v in answered.items():
            val = (_("yes") if v else _("no")) if isinstance(v, bool) else f"{float(v):g}"
            label = question_text(aid) if aid in ANSWERS else aid
            out.append(f"<tr><td>{_e(label)}</td><td><b>{_e(val)}</b></td></tr>")
        out.append("</table>")
    else:
        out.append("<p>" + _h(_("No questions answered yet.")) + "</p>")

    # ---------------------------------------------------------------- ranking
    section("Candidate causes", _("Candidate causes, most likely first (not a diagnosis)"))
    cited: list[str] = []
    for i, r in enumerate(a.get("ranking", []), 1):
        cause_id = str(r["cause"])
        cause = kb.causes.get(cause_id)
        short, full = cause_title(kb, cause_id)
        also = f" ({_e(full)})" if full != short else ""
        summary = f"<br/><i>{_e(_(cause.plain_summary))}</i>" if cause else ""
        out.append(f"<p style='margin-bottom:1px'><b>{i}. {_e(short)}</b>{also} — "
                   f"{_e(score_text(float(r['score'])))}{summary}</p>")
        if i <= 3 and r.get("evidence"):
            out.append("<ul style='margin-top:0'>")
            for ev in r["evidence"][:6]:
                refs = []
                for s in ev.get("sources", []):
                    if s in kb.sources:
                        if s not in cited:
                            cited.append(s)
                        refs.append(str(cited.index(s) + 1))
                sign = "▲" if ev.get("effect", 0) > 0 else "▼"
                ref = f" <sup>[{', '.join(refs)}]</sup>" if refs else ""
                words = effect_words(float(ev.get("effect", 0)))
                how = f" <i>({_e(words)})</i>" if words else ""
                out.append(f"<li>{sign} {_e(ev.get('text', ''))}{how}{ref}</li>")
            out.append("</ul>")

    # ---------------------------------------------------------------- next questions
    section("Ask next", _("Ask next"))
    questions = [q for q in a.get("next_questions", []) if q.get("answer") in ANSWERS]
    if questions:
        out.append("<ul>")
        for q in questions:
            out.append(f"<li><b>{_e(question_text(q['answer']))}</b> {_e(q.get('why', ''))}</li>")
        out.append("</ul>")
    else:
        out.append("<p>" + _h(_("No further question would change the ranking much.")) + "</p>")

    # ---------------------------------------------------------------- sources
    section("Sources", _("Sources"))
    if cited:
        out.append("<ol>")
        for s in cited:
            src = kb.sources[s]
            citation, url = public_source(src.citation, src.url)
            flag = "" if src.verified else " <b>[" + _h(_("UNVERIFIED")) + "]</b>"
            link = f" {_e(url)}" if url else ""
            out.append(f"<li>{_e(citation)}{flag}{link}</li>")
        out.append("</ol>")
    else:
        out.append("<p>" + _h(_("No evidence cited yet.")) + "</p>")
    out.append(f"<p><i>{_e(_(kb.disclaimer))}</i></p></body></html>")
    return ReportContent(title=_(TITLE), patient_line=patient_line, date_line=date_line,
                         running_head=running_head, html="".join(out), sections=sections)


__all__ = ["DIAGRAM_URL", "LEGEND_URL", "SECTIONS", "ReportContent", "build_report",
           "public_source", "when_text"]
