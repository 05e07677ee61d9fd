"""Why a cause is ranked where it is: the evidence view (the HTML comes from the one report
builder, :func:`hipmap.report.evidence.evidence_html`) and a cause's territory weights."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser, QWidget

from hipmap.core.ids import OTHER, SIDES
from hipmap.i18n import _
from hipmap.knowledge.base import KnowledgeBase
from hipmap.report.evidence import evidence_html


def territory_weights(kb: KnowledgeBase, cause: str) -> dict[str, float]:
    """A cause's referral territory, P(region painted | cause), on both sides' region ids.
    ``other`` has none to show."""
    if cause == OTHER or cause not in kb.causes:
        return {}
    return {f"{side}.{base}": t.p for base, t in kb.causes[cause].territory.items()
            for side in SIDES}


class EvidenceView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(True)
        self.setAccessibleName(_("Evidence for the selected cause"))
        self.setPlaceholderText(_("Select a cause (click its bar or choose it above) to see "
                                  "the evidence for and against it, its sources and its "
                                  "referral territory on the diagram."))

    def show_html(self, text: str) -> None:
        """The evidence of the selected cause; empty: none selected."""
        if text:
            self.setHtml(text)
        else:
            self.clear()


__all__ = ["EvidenceView", "evidence_html", "territory_weights"]
