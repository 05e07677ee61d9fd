"""The app's evidence view of one cause (rich text for a QTextBrowser, Qt-free): its name and
plain summary, its score and rank, every factor that moved it with its numbered sources,
and the sources — laid out from the one report content (:mod:`hipmap.report.content`)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from hipmap.core.ids import OTHER
from hipmap.i18n import _
from hipmap.knowledge.texts import cause_name, sentence
from hipmap.report import palette
from hipmap.report.content import Citations, build

if TYPE_CHECKING:
    from hipmap.knowledge.assessment import Assessment
    from hipmap.knowledge.base import KnowledgeBase


def evidence_html(kb: KnowledgeBase, assessment: Assessment | None, cause: str) -> str:
    """The matcher's sentences for one cause (``other`` included), with numbered sources.
    Without an assessment: the cause's summary and the sources of its territory."""
    e = html.escape
    # (translated outside the f-strings: gettext's extraction cannot see inside them)
    moved, sources_title, unverified, link_word = (
        _("What moved the score"), _("Sources"), _("UNVERIFIED"), _("link"))
    summary = _(kb.causes[cause].plain_summary)
    c = kb.causes[cause]  # ``other`` included (its Cause-shaped description)
    refs = Citations(kb)

    def cite(ids: tuple[str, ...]) -> str:
        nums = refs.cite(ids)
        return (f" <span style='color:{palette.QUIET}'>[{', '.join(map(str, nums))}]</span>"
                if nums else "")

    parts = [f"<h3 style='margin:0'>{e(cause_name(kb, cause))}</h3>",
             f"<p style='margin-top:4px'>{e(summary)}</p>"]
    line = None
    if assessment is not None:
        content = build(assessment, kb=kb)
        line = content.cause(cause)
    if line is not None:
        where = (_("It has no territory of its own: it stands for every cause outside the "
                   "list.") if cause == OTHER else
                 _("Blue on the diagram: where this cause usually hurts (darker = more "
                   "often)."))
        rank = _("rank {rank} of {n}").format(rank=line.rank, n=len(content.causes))
        parts.append(f"<p><b>{line.percent}</b> — {e(rank)}. {e(where)}</p>")
        parts.append(f"<p style='margin-bottom:2px'><b>{e(moved)}</b></p>"
                     "<table cellspacing='0' cellpadding='2'>")
        for ev in line.evidence:
            arrow, col = ("▲", palette.SUPPORTS) if ev.supports else ("▼", palette.AGAINST)
            parts.append(
                f"<tr><td valign='top' style='color:{col}; white-space:nowrap'>"
                f"{arrow}</td><td>{e(ev.text)} "
                f"<span style='color:{col}'>{e(sentence(ev.effect))}."
                f"</span>{cite(ev.sources)}</td></tr>")
        parts.append("</table>")
    for t in c.territory.values():
        refs.cite(t.source)
    listed = refs.sources()
    if listed:
        parts.append(f"<p style='margin-bottom:2px'><b>{e(sources_title)}</b></p><ol style="
                     "'margin-top:0; margin-left:-20px'>")
        for _n, sid, src in listed:
            if src is None:
                parts.append(f"<li>{e(sid)}</li>")
                continue
            mark = "" if src.verified else \
                f" <b style='color:{palette.UNVERIFIED}'>[{e(unverified)}]</b>"
            link = (f" <a href='{e(src.url)}'>{e(link_word)}</a>"
                    if src.url.startswith("http") else "")
            parts.append(f"<li>{e(src.citation)}{link}{mark}</li>")
        parts.append("</ol>")
    return "".join(parts)
