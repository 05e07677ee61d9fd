"""Help: the About box now; room for the in-app guide of the clinician-window round."""

from hipmap.ui.help.about import about_text, show_about

__all__ = ["about_text", "show_about"]
