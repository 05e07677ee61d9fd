"""The kiosk's look, made for fingers and older eyes: big targets, big text, strong contrast.

Every colour pair a text is drawn in is listed in :data:`TEXT_PAIRS`; a test computes each
pair's WCAG contrast ratio (at least 4.5:1). Targets are at least :data:`MIN_TARGET` pixels
(WCAG 2.5.5 asks for 44 CSS px; 48 is Android's and Material's touch target), text at least
:data:`BASE_PT` points; the large-text switch multiplies every size by :data:`LARGE_FACTOR`.
"""

from __future__ import annotations

MIN_TARGET = 64  # px: every button is at least this tall and wide (48 is the floor we test)
BASE_PT = 20  # pt: the body text (the floor the tests check is 18)
LARGE_FACTOR = 1.3

PALETTE = {
    "page": "#f6f4ef",  # the window's background (warm off-white: less glare than white)
    "text": "#1a1a1a",
    "muted": "#4a4a4a",  # secondary text (still 8:1 on the page)
    "primary": "#1d4e89",  # the main button (Next, Send)
    "on_primary": "#ffffff",
    "secondary": "#dde6f0",  # Back, Start again, answers
    "on_secondary": "#102a4c",
    "chosen": "#0b5d3b",  # a chosen answer
    "on_chosen": "#ffffff",
    "alert": "#fff1dc",  # the red-flag instruction
    "on_alert": "#5c2a00",
    "alert_border": "#b35900",
    "panel": "#ffffff",
    "disabled": "#c9c9c9",
    "on_disabled": "#3d3d3d",
}

#: every (text colour, background colour) a text is shown in, by name
TEXT_PAIRS = (
    ("text", "page"), ("muted", "page"), ("text", "panel"), ("muted", "panel"),
    ("on_primary", "primary"), ("on_secondary", "secondary"), ("on_chosen", "chosen"),
    ("on_alert", "alert"), ("on_disabled", "disabled"),
)


def _channel(c: int) -> float:
    v = c / 255.0
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio (1 to 21)."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def stylesheet(large: bool = False) -> str:
    """The kiosk's Qt style sheet (sizes in points, so they follow the screen's DPI)."""
    k = LARGE_FACTOR if large else 1.0
    # the large-text switch enlarges what is read; the screen titles are large already
    body, head, big = round(BASE_PT * k), round(BASE_PT * 1.5 * k), round(BASE_PT * 2)
    c = PALETTE
    return f"""
QWidget#kiosk {{ background: {c['page']}; }}
QWidget {{ color: {c['text']}; font-size: {body}pt; }}
QLabel[role="heading"] {{ font-size: {head}pt; font-weight: bold; }}
QLabel[role="title"] {{ font-size: {big}pt; font-weight: bold; }}
QLabel[role="muted"] {{ color: {c['muted']}; }}
QLabel[role="field"] {{ background: {c['panel']}; border: 2px solid {c['muted']};
    border-radius: 8px; padding: 6px 14px; min-height: {MIN_TARGET}px; font-size: {head}pt; }}
QLabel[role="field"][active="true"] {{ border: 4px solid {c['primary']}; }}
QFrame#alert {{ background: {c['alert']}; border: 3px solid {c['alert_border']};
    border-radius: 10px; }}
QFrame#alert QLabel {{ color: {c['on_alert']}; background: transparent; }}
QFrame#panel {{ background: {c['panel']}; border-radius: 10px; }}
QPushButton {{ background: {c['secondary']}; color: {c['on_secondary']}; border: none;
    border-radius: 10px; padding: 10px 22px; min-height: {MIN_TARGET}px;
    min-width: {MIN_TARGET}px; }}
QPushButton[role="primary"] {{ background: {c['primary']}; color: {c['on_primary']};
    font-weight: bold; }}
QPushButton:checked, QPushButton[chosen="true"] {{ background: {c['chosen']};
    color: {c['on_chosen']}; font-weight: bold; }}
QPushButton:disabled {{ background: {c['disabled']}; color: {c['on_disabled']}; }}
QPushButton[role="field"] {{ background: {c['panel']}; color: {c['text']};
    border: 2px solid {c['muted']}; font-size: {head}pt; font-weight: bold; min-height: 80px; }}
QPushButton[role="field"][active="true"] {{ border: 5px solid {c['primary']}; }}
QPushButton[role="answer"] {{ min-height: 120px; font-size: {head}pt; font-weight: bold; }}
QPushButton[role="answer"][chosen="true"] {{ background: {c['chosen']}; color: {c['on_chosen']}; }}
"""
