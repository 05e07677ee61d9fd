"""The colours every surface shares (Qt-free: '#rrggbb' strings).

One urgency palette (the headline box of the app, the PDF and the kiosk), one pair of
evidence colours (for / against a cause), one dermatome palette (the app's overlay and the
atlas review SVGs). A cause's own colour comes from its knowledge-base file
(:func:`hipmap.knowledge.texts.cause_color`), never from here.
"""

from __future__ import annotations

from typing import Final

from hipmap.core.ids import DERMATOME_ROOTS

#: The headline box per verdict style (hipmap.knowledge.assessment.verdict_style):
#: (background, text). ``neutral`` (nothing recorded, red-flag screening incomplete) is
#: neither green nor red: no verdict is given yet.
URGENCY: Final[dict[str, tuple[str, str]]] = {
    "emergency": ("#b00020", "#ffffff"),
    "urgent": ("#e65100", "#ffffff"),
    "see_clinician": ("#1f5f99", "#ffffff"),
    "self_care": ("#2e7d32", "#ffffff"),
    "neutral": ("#e9ecef", "#222222"),
}
#: The dashed border that marks the neutral box (no verdict yet).
NEUTRAL_BORDER: Final = "#6c757d"

#: Evidence that makes a cause more likely / less likely (arrows and their words).
SUPPORTS: Final = "#1b7a3a"
AGAINST: Final = "#b00020"
#: Source numbers and other quiet text.
QUIET: Final = "#666666"
#: "[UNVERIFIED]" next to a source no one has checked.
UNVERIFIED: Final = "#b00020"

#: Dermatome root -> colour (ColorBrewer Dark2: seven distinct hues that stay readable over
#: the skin tone and the red pain scale).
DERMATOMES: Final[dict[str, str]] = dict(zip(DERMATOME_ROOTS, (
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"), strict=True))


def dermatome_colour(dermatome_id: str) -> str:
    """'#rrggbb' of a dermatome id (``right.L5``) or root (``L5``)."""
    return DERMATOMES[dermatome_id.rpartition(".")[2]]

#: The clinic record's bar (patient banner): (background, text), and its problem line (a
#: database that cannot be reached, a conflict left undecided).
RECORD_BAR: Final = ("#eef2f7", "#1a1a1a")
RECORD_PROBLEM: Final = ("#ffe08a", "#1a1a1a")
#: A visit the record bar says is saved (text colour only, on RECORD_BAR).
RECORD_SAVED: Final = "#1b5e20"

#: The before/after overlay of two visits (the history view): Okabe–Ito hues that stay apart
#: for the common colour-vision deficiencies, each ALSO with its own pattern (new: diagonal
#: hatching, resolved: dots, unchanged: horizontal lines), so colour is never the only cue.
HISTORY_NEW: Final = "#d55e00"
HISTORY_RESOLVED: Final = "#0072b2"
HISTORY_UNCHANGED: Final = "#5f5f5f"
#: the region groups' lines on the trend charts (hip, thigh, knee, below the knee)
HISTORY_GROUPS: Final = ("#e69f00", "#009e73", "#cc79a7", "#0072b2")
#: The clinic record's bar border; the history view's text, quiet text, paper, timeline
#: axis and visit dots, and the highest-intensity line of its charts.
RECORD_BORDER: Final = "#c9d3df"
HISTORY_TEXT: Final = "#1a1a1a"
HISTORY_QUIET: Final = "#4d4d4d"
HISTORY_PAPER: Final = "#ffffff"
HISTORY_AXIS: Final = "#9aa5b1"
HISTORY_DOT: Final = "#1d3557"
HISTORY_INTENSITY: Final = "#b00020"
