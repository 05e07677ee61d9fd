"""Why a cause is ranked where it is: the evidence view (the HTML comes from the one report
builder, :func:`hipmap.report.evidence.evidence_html`)."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser, QWidget

from hipmap.i18n import _
from hipmap.report.evidence import evidence_html


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


__all__ = ["EvidenceView", "evidence_html"]
