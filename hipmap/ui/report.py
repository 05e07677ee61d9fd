"""The clinical PDF report (``hipmap report FILE -o OUT.pdf``): the drawing on the diagram,
the urgency and red flags first, then the regions, the ranked causes with their evidence,
the questions to ask next, and the sources."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from hipmap.core.document import Document
from hipmap.core.ids import ANSWERS, BASE_REGIONS, split_region
from hipmap.knowledge.assessment import assess, headline, headline_detail, verdict_style
from hipmap.knowledge.base import load_knowledge
from hipmap.knowledge.texts import cause_name, cause_short, effect_text, percent_text
from hipmap.ui.render import ensure_gui_app, render_document_image

URGENCY_COLOURS = {"emergency": "#b00020", "urgent": "#c25700", "see_clinician": "#1d4e89",
                   "self_care": "#2e6b30", "neutral": "#4a4f55"}  # by verdict_style()


def _e(text: Any) -> str:
    return html.escape(str(text))


def report_html(doc: Document, a: dict[str, Any]) -> str:
    kb = load_knowledge()
    colour = URGENCY_COLOURS[verdict_style(a)]
    who = ", ".join(f"{_e(k)}: {_e(v)}" for k, v in (doc.patient or {}).items()
                    if v is not None) or "not recorded"
    out = [
        "<html><body style='font-family: DejaVu Sans; font-size: 9pt'>",
        "<h2 style='margin:0'>hipmap pain drawing report</h2>",
        f"<p>Patient: {who}<br/>Recorded: {_e(doc.recorded_at or 'not recorded')}<br/>"
        f"Knowledge base {_e(kb.version)}. RIGHT and LEFT are the patient's own sides.</p>",
        f"<table width='100%' cellpadding='6' style='background:{colour}; color:white'>"
        f"<tr><td><b style='font-size:13pt'>{_e(headline(a))}</b><br/>"
        + (f"{_e(headline_detail(a))}<br/>" if headline_detail(a) else "")
        + "<br/>".join(_e(r) for r in a.get("urgency_reasons", [])
                       if not (headline_detail(a) and r.startswith("Red-flag screening")))
        + "</td></tr></table>",
    ]
    if a["red_flags"]:
        out.append("<h3 style='color:#b00020'>Red flags — these come before any ranking</h3><ul>")
        for f in a["red_flags"]:
            out.append(f"<li><b>{_e(f['id'])} ({_e(f['urgency'])})</b>: {_e(f['message'])} "
                       f"<b>What to do now:</b> {_e(f['action'])}</li>")
        out.append("</ul>")
    if a.get("unscreened"):
        out.append("<p><b>Red-flag questions to ask first:</b> " + " ".join(
            _e(ANSWERS[q][2]) for q in a["unscreened"]) + "</p>")
    out.append("<p><img src='hipmap://diagram.png' width='680'/></p>")
    out.append("<h3>Where it hurts</h3><table border='1' cellspacing='0' cellpadding='3'>"
               "<tr><th>Region (patient's side)</th><th>Covered</th><th>Intensity</th></tr>")
    for r in a["regions"]:
        side, base = split_region(r["id"])
        out.append(f"<tr><td>{side.upper()} {_e(BASE_REGIONS[base])}</td>"
                   f"<td align='right'>{r['coverage'] * 100:.0f}%</td>"
                   f"<td align='right'>{_e(r['intensity'])}</td></tr>")
    if not a["regions"]:
        out.append("<tr><td colspan='3'>nothing painted</td></tr>")
    out.append("</table>")
    if a["dermatomes"]:
        out.append("<p>Dermatomes (textbook-consensus map; real dermatomes overlap and vary): "
                   + ", ".join(f"{_e(d['id'])} {d['coverage'] * 100:.0f}%"
                               for d in a["dermatomes"]) + "</p>")
    answered = doc.effective_answers()
    if answered:
        out.append("<h3>Answers</h3><ul>")
        for aid, v in answered.items():
            val = ("yes" if v else "no") if isinstance(v, bool) else f"{v:g}"
            out.append(f"<li>{_e(ANSWERS[aid][2])} <b>{val}</b></li>")
        out.append("</ul>")
    out.append("<h3>Candidate causes, most likely first (not a diagnosis)</h3>")
    cited: list[str] = []
    for i, r in enumerate(a["ranking"], 1):
        cause = kb.causes[r["cause"]]
        out.append(f"<p><b>{i}. {_e(cause_short(kb, r['cause']))}</b> "
                   f"({_e(cause_name(kb, r['cause']))}) — {percent_text(r['score'])}<br/>"
                   f"<i>{_e(cause.plain_summary)}</i></p>")
        if i <= 3:
            out.append("<ul>")
            for e in r["evidence"][:6]:
                refs = []
                for s in e.get("sources", []):
                    if s not in cited:
                        cited.append(s)
                    refs.append(str(cited.index(s) + 1))
                sign = "▲" if e["effect"] > 0 else "▼"
                out.append(f"<li>{sign} {_e(e['text'])} <i>({_e(effect_text(e['effect']))})</i>"
                           f" <sup>[{', '.join(refs)}]</sup></li>")
            out.append("</ul>")
    if a["next_questions"]:
        out.append("<h3>Ask next</h3><ul>")
        for q in a["next_questions"]:
            out.append(f"<li><b>{_e(ANSWERS[q['answer']][2])}</b> {_e(q['why'])}</li>")
        out.append("</ul>")
    if cited:
        out.append("<h3>Sources</h3><ol>")
        for s in cited:
            src = kb.sources[s]
            flag = "" if src.verified else " <b>[UNVERIFIED]</b>"
            out.append(f"<li>{_e(src.citation)}{flag} {_e(src.url)}</li>")
        out.append("</ol>")
    out.append(f"<p><i>{_e(kb.disclaimer)}</i></p></body></html>")
    return "".join(out)


def report_pdf_bytes(doc: Document, assessment: dict[str, Any] | None = None) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    _write_pdf(doc, buf, assessment)
    buf.close()
    return bytes(data.data())


def write_report_pdf(doc: Document, path: str, assessment: dict[str, Any] | None = None
                     ) -> None:
    from hipmap.core.output import verify_pdf, write_bytes

    write_bytes(path, report_pdf_bytes(doc, assessment), verify=verify_pdf)


def _write_pdf(doc: Document, device: Any, assessment: dict[str, Any] | None) -> None:
    ensure_gui_app()
    a = assessment or assess(doc)
    if hasattr(a, "to_json"):  # the typed assessment: this report reads its JSON
        a = a.to_json()
    writer = QPdfWriter(device)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(150)
    writer.setTitle("hipmap pain drawing report")
    writer.setCreator("hipmap")
    text = QTextDocument()
    text.setDocumentMargin(0)
    image = render_document_image(doc, scale=1.0)
    text.addResource(QTextDocument.ResourceType.ImageResource, QUrl("hipmap://diagram.png"),
                     image)
    text.setHtml(report_html(doc, a))
    layout = writer.pageLayout().paintRectPixels(writer.resolution())
    text.setPageSize(QSizeF(layout.width(), layout.height()))
    text.print_(writer)
