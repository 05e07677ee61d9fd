"""What a person reads on a widget tree, and whether it is translated and fits.

Used by test_pseudo_locale.py: in the pseudo-locale every translated text has every letter
accented, so a run of two plain ASCII letters on screen is a text that did not go through
the catalog; a label, button, tab or list row narrower than its text is clipped or elided.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTabBar,
    QTextEdit,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

PLAIN_WORD = re.compile(r"[A-Za-z]{2,}")
TAG = re.compile(r"<[^>]*>")


@dataclass
class Finding:
    where: str
    text: str
    #: "vertical" when only the height is short (a column squeezed by the window's height)
    kind: str = "width"

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r}"


def visible_text(text: str) -> str:
    """Rich text as a person sees it (tags gone, entities read)."""
    if "<" in text and ">" in text:
        text = TAG.sub(" ", text)
    return html.unescape(text).replace("&&", "&")


def untranslated(text: str, allowed: Iterable[str] = ()) -> str | None:
    """The first plain English word of ``text``, after removing what may stay as it is
    (ids, citations, file paths, version numbers: ``allowed``)."""
    seen = visible_text(text)
    for keep in sorted(allowed, key=len, reverse=True):
        if keep:
            seen = seen.replace(keep, " ")
    m = PLAIN_WORD.search(seen)
    return m.group() if m else None


def _name(w: QWidget) -> str:
    return f"{type(w).__name__}({w.objectName() or w.accessibleName()[:30]})"


def widget_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a person can read or hear on the visible widgets under
    ``root``: text, tooltip, accessible name and description, titles, items, headers,
    placeholders, suffixes."""
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisibleTo(root) and w is not root:
            continue
        where = _name(w)
        for what, value in (("tooltip", w.toolTip()), ("accessible name", w.accessibleName()),
                            ("accessible description", w.accessibleDescription()),
                            ("window title", w.windowTitle() if w.isWindow() else "")):
            if value:
                yield f"{where} {what}", value
        if isinstance(w, QLabel | QAbstractButton):
            yield where, w.text()
        elif isinstance(w, QGroupBox):
            yield where, w.title()
        elif isinstance(w, QLineEdit):
            yield f"{where} placeholder", w.placeholderText()
        elif isinstance(w, QSpinBox):
            yield f"{where} special value", w.specialValueText()
            yield f"{where} suffix", w.suffix()
        elif isinstance(w, QTextEdit):
            yield f"{where} placeholder", w.placeholderText()
            yield where, w.toPlainText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{where} item {i}", w.itemText(i)
                tip = w.itemData(i, Qt.ItemDataRole.ToolTipRole)
                if tip:
                    yield f"{where} item {i} tooltip", str(tip)
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                yield f"{where} tab {i}", w.tabText(i)
        elif isinstance(w, QTreeWidget):
            head = w.headerItem()
            for c in range(w.columnCount()):
                yield f"{where} header {c}", head.text(c)
            for item in tree_items(w):
                for c in range(w.columnCount()):
                    yield f"{where} row {item.text(0)!r}", item.text(c)
                    yield f"{where} row {item.text(0)!r} tooltip", item.toolTip(c)
                    spoken = item.data(c, Qt.ItemDataRole.AccessibleTextRole)
                    if spoken:
                        yield f"{where} row {item.text(0)!r} spoken", str(spoken)
        elif isinstance(w, QMessageBox):
            yield f"{where} informative", w.informativeText()
            yield f"{where} details", w.detailedText()
        if isinstance(w, QMenuBar | QMenu):
            yield from menu_texts(w)


def menu_texts(menu: QMenuBar | QMenu, path: str = "") -> Iterator[tuple[str, str]]:
    for a in menu.actions():
        if a.isSeparator():
            continue
        where = f"menu {path}{a.text()!r}"
        yield where, a.text()
        if a.statusTip():
            yield f"{where} status tip", a.statusTip()
        if a.menu() is not None:
            yield from menu_texts(a.menu(), path + a.text() + " > ")


def tree_items(tree: QTreeWidget) -> Iterator[QTreeWidgetItem]:
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop(0)
        yield item
        stack[0:0] = [item.child(i) for i in range(item.childCount())]


# ============================================================================ clipping

def _plain(text: str) -> str:
    return visible_text(text).replace("&", "") if "<" not in text else visible_text(text)


def clipped(root: QWidget) -> list[Finding]:
    """Labels, buttons, tabs and list rows whose text does not fit, and widgets that stick
    out of their parent."""
    out: list[Finding] = []
    for w in [root, *root.findChildren(QWidget)]:
        if w is not root and not w.isVisibleTo(root):
            continue
        where = _name(w)
        if isinstance(w, QLabel) and w.text() and not w.pixmap():
            r = w.contentsRect()
            if w.wordWrap():
                need = w.heightForWidth(w.width())
                if need > w.height() + 1:
                    out.append(Finding(where, f"wraps to {need} px in {w.height()} px: "
                                              f"{visible_text(w.text())[:60]}", "vertical"))
            elif w.sizeHint().width() > r.width() + w.margin() * 2 + 1 and \
                    w.minimumSizeHint().width() > w.width() + 1:
                out.append(Finding(where, f"needs {w.minimumSizeHint().width()} px, has "
                                          f"{w.width()}: {visible_text(w.text())[:60]}"))
        elif isinstance(w, QAbstractButton) and w.text():
            fm = w.fontMetrics()
            need = fm.horizontalAdvance(_plain(w.text()))
            if not w.icon().isNull():
                need += w.iconSize().width() + 4
            if isinstance(w, QCheckBox | QRadioButton):
                need += 20
            elif isinstance(w, QPushButton | QToolButton):
                need += 6
            if need > w.width():
                out.append(Finding(where, f"text needs {need} px, has {w.width()}: "
                                          f"{w.text()[:60]}"))
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                need = w.fontMetrics().horizontalAdvance(_plain(w.tabText(i))) + 8
                if need > w.tabRect(i).width():
                    out.append(Finding(f"{where} tab {i}", f"elided: {w.tabText(i)}"))
        elif isinstance(w, QTreeWidget):
            out += _tree_clipped(w)
        if isinstance(w, QScrollArea) and w.widget() is not None and \
                w.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff and \
                w.widget().width() > w.viewport().width() + 1:
            out.append(Finding(where, f"content {w.widget().width()} px wide in a "
                                      f"{w.viewport().width()} px view that cannot scroll "
                                      "sideways: its right edge is cut off"))
        if w is not root and not w.isWindow() and w.parentWidget() is not None:
            parent = w.parentWidget()
            inside_scroll = isinstance(parent.parentWidget(), QAbstractScrollArea) and \
                parent is parent.parentWidget().viewport()
            g, r = w.geometry(), parent.rect().adjusted(-1, -1, 1, 1)
            if not inside_scroll and not r.contains(g):
                across = g.left() < r.left() or g.right() > r.right()
                out.append(Finding(where, f"outside its parent {_name(parent)}: "
                                          f"{_rect(g)} in {_rect(parent.rect())}",
                                   "width" if across else "vertical"))
    return out


def _tree_clipped(tree: QTreeWidget) -> list[Finding]:
    out = []
    fm = tree.fontMetrics()
    for item in tree_items(tree):
        if item.isHidden() or (item.parent() is not None and not item.parent().isExpanded()):
            continue
        for c in range(tree.columnCount()):
            text = item.text(c)
            if not text:
                continue
            rect = tree.visualItemRect(item)
            col_w = tree.columnWidth(c)
            if c == 0:
                depth = 0
                p = item.parent()
                while p is not None:
                    depth += 1
                    p = p.parent()
                col_w -= tree.indentation() * (depth + (1 if tree.rootIsDecorated() else 0))
                if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    col_w -= 20
            if not item.icon(c).isNull():
                col_w -= tree.iconSize().width() + 4 if tree.iconSize().width() > 0 else 20
            font = item.font(c)
            width = (fm if font == tree.font() else type(fm)(font)).horizontalAdvance(text)
            lines = max(1, -(-width // max(1, col_w - 8)))
            if tree.wordWrap():
                height = rect.height()
                if lines > 1 and fm.lineSpacing() * lines > height + 2:
                    out.append(Finding(f"{_name(tree)} row", f"cut: {text}"))
            elif width > col_w - 6:
                out.append(Finding(f"{_name(tree)} row", f"elided ({width} px in {col_w}): "
                                                        f"{text}"))
    return out


def _rect(r: QRect) -> str:
    return f"{r.x()},{r.y()} {r.width()}x{r.height()}"
