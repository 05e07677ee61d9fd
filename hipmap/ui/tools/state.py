"""What the next stroke will be: the tool, the brush size, the intensity and the quality."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from hipmap.i18n import lazy_gettext

#: tool id -> its name, shortcut and help (the ids are the app's own, not the contract's)
TOOLS = {"brush": lazy_gettext("Brush"), "eraser": lazy_gettext("Eraser"),
         "tap": lazy_gettext("Tap a region")}
TOOL_KEYS = {"brush": "B", "eraser": "E", "tap": "T"}
TOOL_HELP = {
    "brush": lazy_gettext("Paint where it hurts (B)"),
    "eraser": lazy_gettext("Rub out painted strokes (E)"),
    "tap": lazy_gettext("Tap a region to fill all of it; tap a filled region to empty it (T)"),
}
#: a new drawing starts with these
DEFAULT_TOOL, DEFAULT_WIDTH, DEFAULT_INTENSITY = "brush", 18.0, 6


class ToolState(QObject):
    """What the next stroke will be. The canvas reads it; the panel edits it."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.tool = DEFAULT_TOOL
        self.width = DEFAULT_WIDTH
        self.intensity = DEFAULT_INTENSITY
        self.quality: str | None = None

    def reset(self) -> None:
        """A new drawing or patient: the default tool, intensity and no quality (the last
        patient's "7, shooting" must never tag the next one's pain). The brush size stays:
        it suits the screen and the hand, not the patient."""
        self.set(tool=DEFAULT_TOOL, intensity=DEFAULT_INTENSITY, quality=None)

    def set(self, **kw: object) -> None:
        dirty = False
        for k, v in kw.items():
            if getattr(self, k) != v:
                setattr(self, k, v)
                dirty = True
        if dirty:
            self.changed.emit()
