"""The bar above the canvas: which views, the dermatome overlay, zoom."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QToolButton, QWidget

from hipmap.i18n import _
from hipmap.ui.canvas.widget import MODE_NAMES


class ViewBar(QWidget):
    """Says what the user asks for; the window connects it to the canvas."""

    mode_requested = Signal(str)
    dermatomes_toggled = Signal(bool)
    zoom_requested = Signal(float)  # a factor
    fit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(QLabel(_("Views:")))
        self.mode_buttons: dict[str, QToolButton] = {}
        for mode, name in MODE_NAMES.items():
            b = QToolButton()
            b.setText(str(name))
            b.setCheckable(True)
            b.setAutoExclusive(True)
            b.setAccessibleName({"front_back": _("Show the front and back views"),
                                 "sides": _("Show the side views"),
                                 "all": _("Show all four views")}[mode])
            b.clicked.connect(lambda _c=False, m=mode: self.mode_requested.emit(m))
            lay.addWidget(b)
            self.mode_buttons[mode] = b
        self.dermatome_check = QCheckBox(_("Dermatomes"))
        self.dermatome_check.setAccessibleName(_("Show the dermatome overlay L1 to S2"))
        self.dermatome_check.setToolTip(_("Show the L1–S2 dermatomes over the diagram (D)"))
        self.dermatome_check.toggled.connect(self.dermatomes_toggled)
        lay.addSpacing(8)
        lay.addWidget(self.dermatome_check)
        lay.addSpacing(8)
        for text, tip, signal, arg in (("−", _("Zoom out (-)"), self.zoom_requested, 0.8),
                                       (_("Fit"), _("Fit the views (0)"), self.fit_requested,
                                        None),
                                       ("+", _("Zoom in (+)"), self.zoom_requested, 1.25)):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setAccessibleName(tip)
            if arg is None:
                b.clicked.connect(lambda _c=False, s=signal: s.emit())
            else:
                b.clicked.connect(lambda _c=False, s=signal, a=arg: s.emit(a))
            lay.addWidget(b)

    def show_mode(self, mode: str) -> None:
        if mode in self.mode_buttons:
            self.mode_buttons[mode].setChecked(True)

    def dermatomes(self) -> bool:
        return self.dermatome_check.isChecked()

    def set_dermatomes(self, on: bool) -> None:
        self.dermatome_check.setChecked(on)
