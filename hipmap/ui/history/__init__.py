"""A patient's history (issue 10): the timeline of their visits, the before/after overlay
of any two on the diagram (new, resolved, unchanged: colour and pattern) and the trend charts
(pyqtgraph, imported when the view is built). Record > Patient History opens it."""

from hipmap.ui.history.overlay import OverlayView
from hipmap.ui.history.view import HistoryDialog, HistoryView, Timeline, change_lines

__all__ = ["HistoryDialog", "HistoryView", "OverlayView", "Timeline", "change_lines"]
