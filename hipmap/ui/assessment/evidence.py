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

    def show_html(self, text: str, *, keep_place: bool = False) -> None:
        """The evidence of the selected cause; empty: none selected. ``keep_place``: the
        same cause re-worded (an answer changed it): the reader stays where they were."""
        if keep_place and text == getattr(self, "_shown", None):
            return
        bar = self.verticalScrollBar()
        place = bar.value() if keep_place else 0
        self._shown = text
        if text:
            self.setHtml(text)
        else:
            self.clear()
        if place:
            self.document().adjustSize()
            bar.setValue(min(place, bar.maximum()))


__all__ = ["EvidenceView", "evidence_html"]
