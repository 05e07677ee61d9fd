"""About hipmap: version, what it is and is not, licence, the knowledge base and its sources,
where drawings and recovery journals are kept."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

import hipmap
from hipmap.i18n import _, ngettext
from hipmap.knowledge.base import KnowledgeBase
from hipmap.ui.words import tr


def about_text(kb: KnowledgeBase, *, storage: str | None, journals: Path) -> str:
    """The About box's text (HTML); ``storage``: the database URL, None for files."""
    unverified = kb.unverified_sources()
    flag = _("[UNVERIFIED]")
    sources = "".join(
        f"<li>{html.escape(s.citation)}" + ("" if s.verified else f" <b>{flag}</b>") + "</li>"
        for s in sorted(kb.sources.values(), key=lambda s: s.id))
    counted = ngettext("Knowledge base version {version}, {n} source ({unverified} not yet "
                       "verified).",
                       "Knowledge base version {version}, {n} sources ({unverified} not yet "
                       "verified).", len(kb.sources)).format(
        version=html.escape(kb.version), n=len(kb.sources), unverified=len(unverified))
    where = html.escape(storage or _("files (.hipmap.json) and a recovery journal"))
    return (
        f"<h2>hipmap {html.escape(hipmap.__version__)}</h2>"
        "<p>{}</p>".format(_("Paint where it hurts, from hip to knee; see the regions, the "
                              "candidate causes with their evidence, and the red flags."))
        + "<p><b>{}</b></p>".format(_("hipmap supports clinical judgement; it does not "
                                      "diagnose."))
        + f"<p>{html.escape(tr(kb.disclaimer))}</p>"
        + "<p>{}</p>".format(_("Licence: MIT."))
        + f"<p>{counted}"
        + "<br>" + _("Storage: {where}").format(where=where)
        + "<br>" + _("Recovery journals: {folder}").format(folder=html.escape(str(journals)))
        + "</p>"
        + "<details><summary>{}</summary><ol>{}</ol></details>".format(_("Sources"), sources))


def about_box(parent: QWidget, kb: KnowledgeBase, *, storage: str | None,
              journals: Path) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle(_("About hipmap"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(kb, storage=storage, journals=journals).split("<details>")[0])
    flag = _("[UNVERIFIED]")
    box.setDetailedText("\n".join(
        f"- {s.citation}{'' if s.verified else ' ' + flag}"
        for s in sorted(kb.sources.values(), key=lambda s: s.id)))
    return box


def show_about(parent: QWidget, kb: KnowledgeBase, *, storage: str | None,
               journals: Path) -> None:
    about_box(parent, kb, storage=storage, journals=journals).exec()
