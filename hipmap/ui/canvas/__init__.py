"""The body map: the canvas (paint, erase, tap; zoom and pan by mouse, touch and pen), its
graphics items, the labels it pins at a fixed size, and the view bar above it.
``python -m hipmap.ui.canvas`` shows it with a sample drawing."""

from hipmap.ui.canvas.viewbar import ViewBar
from hipmap.ui.canvas.widget import GAP, MODE_NAMES, VIEW_MODES, BodyCanvas

__all__ = ["GAP", "MODE_NAMES", "VIEW_MODES", "BodyCanvas", "ViewBar"]
