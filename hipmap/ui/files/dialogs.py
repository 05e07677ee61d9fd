"""The modal questions the file controller asks, as plain callables so tests (and the kiosk,
which must never show them) can answer them without a dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from hipmap.i18n import _

if TYPE_CHECKING:
    from hipmap.model.journal import Orphan

AskSave = Callable[[], str]  # -> "save" | "discard" | "cancel"
#: told one orphaned drawing (patient, time, marks, file) -> "restore" | "later"
#: (a bool is read as restore / later)
AskRecover = Callable[["Orphan"], "str | bool"]
AskYesNo = Callable[[str, str], bool]
ShowError = Callable[[str, str], None]


def save_box(parent: QWidget) -> QMessageBox:
    """The "Unsaved changes" box (not shown): Save, Discard, Cancel (Qt's own words)."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved changes"),
                      _("The drawing has unsaved changes. Save them?"),
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    return box


def ask_save(parent: QWidget) -> str:
    r = save_box(parent).exec()
    return {QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard"}.get(
                QMessageBox.StandardButton(r), "cancel")


def recover_box(parent: QWidget, orphan: Orphan) -> tuple[QMessageBox, object]:
    """The "Recover drawing?" box (not shown) and its Restore button."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Recover drawing?"))
    box.setText(_("hipmap did not close properly. This drawing was not saved:"))
    box.setInformativeText(orphan.describe())
    restore = box.addButton(_("Restore"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Later (keep it in File > Recovered Drawings)"),
                  QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    return box, restore


def ask_recover(parent: QWidget, orphan: Orphan) -> str:
    box, restore = recover_box(parent, orphan)
    box.exec()
    return "restore" if box.clickedButton() is restore else "later"


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    r = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes
                             | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return r == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)
