"""Help: the guide (Help → Guide, the keyboard shortcuts, links to the README) and About."""

from hipmap.ui.help.about import about_text, show_about
from hipmap.ui.help.guide import GuideWindow, guide_html

__all__ = ["GuideWindow", "about_text", "guide_html", "show_about"]
