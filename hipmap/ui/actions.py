"""Every command of the clinician window's menus, in one place: its text, shortcut and tip.

:class:`Actions` makes the QActions (nothing is connected here); the window connects each
one to the part that does it and builds its menu bar with :meth:`Actions.build_menus`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from hipmap.i18n import _


def menu_titles() -> tuple[str, ...]:
    """The menu bar's titles (also shown, disabled, while the window is loading)."""
    return (_("&File"), _("&Edit"), _("&Tools"), _("&View"), _("&Help"))


class Actions(QObject):
    """The window's commands. Attributes are QActions; ``tools`` and ``modes`` map a tool or
    a view mode to its (checkable, exclusive) action."""

    def __init__(self, window: QWidget, stack: QUndoStack) -> None:
        from hipmap.ui.canvas import MODE_NAMES
        from hipmap.ui.tools import TOOL_HELP, TOOL_KEYS, TOOLS

        super().__init__(window)
        self.window = window
        a = self._make
        S = QKeySequence.StandardKey
        # File
        self.new = a(_("&New"), S.New)
        self.open = a(_("&Open…"), S.Open)
        self.save = a(_("&Save"), S.Save)
        self.save_as = a(_("Save &As…"), S.SaveAs)
        self.export_png = a(_("&Export PNG…"), "Ctrl+E")
        self.print = a(_("&Print…"), S.Print)
        self.quit = a(_("&Quit"), S.Quit)
        # Edit
        self.undo = stack.createUndoAction(window, _("Undo"))
        self.undo.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo = stack.createRedoAction(window, _("Redo"))
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for act, word in ((self.undo, _("Undo")), (self.redo, _("Redo"))):
            act.setProperty("plainText", word)  # its text names the step; lists say this
        self.clear_view = a(_("Clear &View"), "Ctrl+Shift+Backspace")
        self.clear_all = a(_("Clear &All Marks"))
        # Tools
        group = QActionGroup(self)
        self.tools: dict[str, QAction] = {}
        for key, name in TOOLS.items():
            act = a(str(name), TOOL_KEYS[key], checkable=True)
            act.setStatusTip(str(TOOL_HELP[key]))
            group.addAction(act)
            self.tools[key] = act
        self.smaller_brush = a(_("Smaller Brush"), "[")
        self.larger_brush = a(_("Larger Brush"), "]")
        # View
        mgroup = QActionGroup(self)
        self.modes: dict[str, QAction] = {}
        for i, (mode, name) in enumerate(MODE_NAMES.items(), start=1):
            act = a(str(name), f"Ctrl+{i}", checkable=True)
            mgroup.addAction(act)
            self.modes[mode] = act
        self.dermatomes = a(_("&Dermatomes (L1–S2)"), "D", checkable=True)
        self.guides = a(_("Region &Guides"), "G", checkable=True)
        self.guides.setStatusTip(_("Outline and name every region; hover over one to name it"))
        self.zoom_in = a(_("Zoom &In"), S.ZoomIn)
        self.zoom_out = a(_("Zoom &Out"), S.ZoomOut)
        self.fit = a(_("&Fit Views"), "Ctrl+0")
        # Help
        self.guide = a(_("&Guide"), S.HelpContents)
        self.shortcuts = a(_("&Keyboard Shortcuts"), "Ctrl+/")
        self.about = a(_("&About hipmap"))

    def all(self) -> list[QAction]:
        """Every command, in menu order (the shortcut list reads them)."""
        return [self.new, self.open, self.save, self.save_as, self.export_png, self.print,
                self.quit, self.undo, self.redo, self.clear_view, self.clear_all,
                *self.tools.values(), self.smaller_brush, self.larger_brush,
                *self.modes.values(), self.dermatomes, self.zoom_in, self.zoom_out, self.fit,
                self.guide, self.shortcuts, self.about]

    def _make(self, text: str, shortcut: Any = None, *, checkable: bool = False) -> QAction:
        act = QAction(text, self.window)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setCheckable(checkable)
        return act

    def build_menus(self, bar: QMenuBar) -> dict[str, QMenu]:
        """Fill the menu bar (cleared first). Returns the submenus whose items change:
        ``recent`` (Open Recent) and ``recovered`` (Recovered Drawings)."""
        bar.clear()
        file_, edit, tools, view, help_ = (bar.addMenu(t) for t in menu_titles())
        file_.addActions([self.new, self.open])
        recent = file_.addMenu(_("Open &Recent"))
        recovered = file_.addMenu(_("Recovered &Drawings"))
        file_.addSeparator()
        file_.addActions([self.save, self.save_as])
        file_.addSeparator()
        file_.addActions([self.export_png, self.print])
        file_.addSeparator()
        file_.addAction(self.quit)
        edit.addActions([self.undo, self.redo])
        edit.addSeparator()
        edit.addActions([self.clear_view, self.clear_all])
        tools.addActions(list(self.tools.values()))
        tools.addSeparator()
        tools.addActions([self.smaller_brush, self.larger_brush])
        view.addActions(list(self.modes.values()))
        view.addSeparator()
        view.addAction(self.dermatomes)
        view.addAction(self.guides)
        view.addSeparator()
        view.addActions([self.zoom_in, self.zoom_out, self.fit])
        help_.addActions([self.guide, self.shortcuts])
        help_.addSeparator()
        help_.addAction(self.about)
        return {"recent": recent, "recovered": recovered}
