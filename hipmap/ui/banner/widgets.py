"""The red-flag banner across the top of the window. ``python -m hipmap.ui.banner``."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from hipmap.core.ids import ANSWERS
from hipmap.i18n import _
from hipmap.ui.words import question_text, tr

if TYPE_CHECKING:
    from hipmap.knowledge.red_flags import RedFlag


class RedFlagBanner(QFrame):
    """Across the top of the window while any red flag is raised. Not dismissable: it goes
    only when the answer that raised it changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redFlagBanner")
        self.setStyleSheet("#redFlagBanner { background: #b00020; border-bottom: 3px solid "
                           "#6d0014; } QLabel { color: white; }")
        self.setAccessibleName(_("Red flag warning"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(14, 8, 14, 8)
        self.icon = QLabel("⚠")
        self.icon.setStyleSheet("font-size: 30px; color: white;")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.icon)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.text, 1)
        self.flags: list[RedFlag] = []
        self.setVisible(False)

    def set_flags(self, flags: Sequence[RedFlag]) -> None:
        self.flags = list(flags)
        if not flags:
            self.setVisible(False)
            return
        parts = []
        for f in flags:
            level = _("EMERGENCY") if f.urgency == "emergency" else _("URGENT")
            triggers = "; ".join([tr(b) for b in f.because] or [
                question_text(t).rstrip("?") for t in f.triggers if t in ANSWERS])
            head = _("<b>RED FLAG — {level}:</b> {message}").format(
                level=level, message=html.escape(tr(f.message)))
            todo = _("<b>What to do now:</b> {action}").format(
                action=html.escape(tr(f.action)))
            because = _("Because: {reasons}").format(reasons=html.escape(triggers))
            parts.append(
                f"<div style='margin-bottom:4px'><span style='font-size:16px'>{head}</span><br>"
                f"<span style='font-size:15px'>{todo}</span>"
                + (f"<br><span style='font-size:11px'>{because}</span>" if triggers else "")
                + "</div>")
        self.text.setText("".join(parts))
        self.setAccessibleDescription(" ".join(tr(f.message) + " " + tr(f.action)
                                               for f in flags))
        self.setVisible(True)
