"""The region list: every region of both sides, ticked (the whole region hurts), partly
painted or not; the selected row's intensity and quality below it. Screen readers and
keyboards cannot reach inside the canvas; this can. ``python -m hipmap.ui.regions``."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hipmap.core.document import RegionMark
from hipmap.core.ids import QUALITIES, REGION_GROUPS, SIDES
from hipmap.i18n import _
from hipmap.knowledge.texts import number_text
from hipmap.model.builders import rate_region, region_marks, tick_region
from hipmap.model.drawing import Change, ChangeKind
from hipmap.ui.commands import Editor
from hipmap.ui.diagram import QUALITY_STYLE
from hipmap.ui.tools import ToolState, quality_icon, swatch_icon
from hipmap.ui.words import capitalized, quality_name, region_text, sided_region


def percent(fraction: float) -> str:
    """Coverage for people: a brush edge that grazes a region is '<1%', never '0%'."""
    if 0 < fraction < 0.005:
        return "<1%"
    return f"{round(fraction * 100)}%"


_SWATCHES: dict[float, QIcon] = {}


def _swatch(intensity: float) -> QIcon:
    if intensity not in _SWATCHES:
        _SWATCHES[intensity] = swatch_icon(intensity)
    return _SWATCHES[intensity]


class _WrappingNames(QStyledItemDelegate):
    """Rows as tall as their region name needs at the column's width (a translation may be
    much longer than the English name)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree
        self._base = 0
        #: name, width it wraps in -> extra height (a sync asks for every row each time)
        self._extra: dict[tuple[str, int, bool], int] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        if not self._base:  # one line of text: every row's height, as without wrapping
            self._base = self.tree.fontMetrics().height() + 1
        if index.column() != 0:  # the pain column: its width follows its text
            size = super().sizeHint(option, index)
            size.setHeight(self._base)
            return size
        parent = index.parent()
        width = self.tree.columnWidth(0) - self.tree.indentation() * (
            2 if parent.isValid() else 1) - 28
        if index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            width -= 20
        text = str(index.data() or "")
        bold = not parent.isValid()
        key = (text, width, bold)
        if key not in self._extra:
            font = index.data(Qt.ItemDataRole.FontRole)
            fm = QFontMetrics(font) if font is not None else option.fontMetrics
            wrapped = fm.boundingRect(QRect(0, 0, max(40, width), 10_000),
                                      int(Qt.TextFlag.TextWordWrap), text).height()
            one_line = fm.boundingRect(QRect(0, 0, 100_000, 10_000),
                                       int(Qt.TextFlag.TextWordWrap), text).height()
            self._extra[key] = max(0, wrapped - one_line)  # the lines below the first
        return QSize(max(40, width), self._base + self._extra[key])


class RegionList(QWidget):
    """All regions of both sides: tick = the whole region hurts; intensity and quality of the
    current row below. Screen readers and keyboards cannot reach inside the canvas; this can."""

    def __init__(self, editor: Editor, tools: ToolState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.tools = tools
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(_("Region list: tick a region where it hurts"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([_("Region"), _("Pain")])
        self.tree.setRootIsDecorated(True)
        # a long name wraps onto a second line rather than being cut off with '…'
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(_WrappingNames(self.tree))
        self.tree.header().sectionResized.connect(
            lambda i, _old, _new: i == 0 and self.tree.scheduleDelayedItemsLayout())
        self.tree.setIndentation(12)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.items: dict[str, QTreeWidgetItem] = {}
        self._syncing = False
        for side in SIDES:
            top = QTreeWidgetItem([_("Patient's RIGHT side") if side == "right"
                                   else _("Patient's LEFT side")])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for bases in REGION_GROUPS.values():
                for base in bases:
                    rid = f"{side}.{base}"
                    it = QTreeWidgetItem([capitalized(region_text(base)), ""])
                    it.setData(0, Qt.ItemDataRole.UserRole, rid)
                    it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                | Qt.ItemFlag.ItemIsUserCheckable)
                    it.setCheckState(0, Qt.CheckState.Unchecked)
                    it.setToolTip(0, rid)
                    top.addChild(it)
                    self.items[rid] = it
            top.setExpanded(True)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._sync_editor())
        lay.addWidget(self.tree, 1)

        ed = QGridLayout()
        ed.setContentsMargins(0, 0, 0, 0)
        self.current_label = QLabel(_("Select a region"))
        self.current_label.setWordWrap(True)
        ed.addWidget(self.current_label, 0, 0, 1, 4)
        ed.addWidget(QLabel(_("Intensity")), 1, 0)
        self.intensity = QSpinBox()
        self.intensity.setRange(0, 10)
        self.intensity.setAccessibleName(_("Intensity of the selected region, 0 to 10"))
        ed.addWidget(self.intensity, 1, 1)
        ed.addWidget(QLabel(_("Quality")), 1, 2)
        self.quality = QComboBox()
        self.quality.setAccessibleName(_("Quality of the selected region"))
        self.quality.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.quality.setMinimumContentsLength(8)
        self.quality.addItem(_("not specified"), None)
        for q in QUALITIES:
            self.quality.addItem(quality_icon(q), f"{QUALITY_STYLE[q][1]} {quality_name(q)}", q)
        ed.addWidget(self.quality, 1, 3)
        ed.setColumnStretch(3, 1)
        lay.addLayout(ed)
        self.intensity.valueChanged.connect(lambda _v: self._edit_current())
        self.quality.currentIndexChanged.connect(lambda _i: self._edit_current())
        editor.model.subscribe(self._on_change)
        # an unticked region offers the tools' intensity and quality: keep showing them
        tools.changed.connect(self._sync_editor)
        self.sync()
        self._sync_editor()

    # ------------------------------------------------------------------ model -> view
    def _on_change(self, change: Change) -> None:
        if change.kind in (ChangeKind.MARKS, ChangeKind.RESET):
            self.sync()
            self._sync_editor()

    def region_marks(self, rid: str) -> dict[int, RegionMark]:
        return region_marks(self.editor.model, rid)

    def sync(self) -> None:
        self._syncing = True
        # only what changed is set; and with a layout of the whole list pending (done once,
        # before the next frame), the view does not measure a row again at each change
        # (rows have their own heights, see _WrappingNames)
        self.tree.scheduleDelayedItemsLayout()
        try:
            cov = self.editor.model.coverage.regions()
            ticked = {m.region: m for m in self.editor.model.marks.values()
                      if isinstance(m, RegionMark)}
            for rid, it in self.items.items():
                c = cov.get(rid)
                if rid in ticked:
                    state = Qt.CheckState.Checked
                elif c is not None and c.coverage > 0:
                    state = Qt.CheckState.PartiallyChecked
                else:
                    state = Qt.CheckState.Unchecked
                if it.checkState(0) != state:
                    it.setCheckState(0, state)
                q = ticked[rid].quality if rid in ticked else None
                painted = c is not None and c.coverage > 0
                pain = ""
                if painted:
                    pain = f"{percent(c.coverage)} · {number_text(c.intensity)}"
                    if q:
                        pain += f" {QUALITY_STYLE[q][1]}"
                if it.text(1) != pain:
                    it.setIcon(1, _swatch(c.intensity) if painted else QIcon())
                    it.setText(1, pain)
                tip = ""
                if painted:
                    tip = _("{percent} of the region painted, intensity {intensity}/10").format(
                        percent=percent(c.coverage), intensity=number_text(c.intensity))
                    if q:
                        tip = _("{painted}, {quality}").format(
                            painted=tip, quality=quality_name(q, full=True))
                if it.toolTip(1) != tip:
                    it.setToolTip(1, tip)
                state_word = {Qt.CheckState.Checked: _("ticked: the whole region hurts"),
                              Qt.CheckState.PartiallyChecked: _("partly painted"),
                              Qt.CheckState.Unchecked: _("no pain")}[state]
                region = sided_region(rid)
                spoken = (_("{region}, {state}, {pain}").format(
                    region=region, state=state_word, pain=pain) if pain
                    else _("{region}, {state}").format(region=region, state=state_word))
                if it.data(0, Qt.ItemDataRole.AccessibleTextRole) != spoken:
                    it.setData(0, Qt.ItemDataRole.AccessibleTextRole, spoken)
        finally:
            self._syncing = False

    def _sync_editor(self) -> None:
        rid = self.current_region()
        self._syncing = True
        try:
            enabled = rid is not None
            self.intensity.setEnabled(enabled)
            self.quality.setEnabled(enabled)
            if rid is None:
                self.current_label.setText(
                    _("Select a region to set its intensity and quality."))
                return
            marks = self.region_marks(rid)
            mark = next(iter(marks.values()), None)
            name = html.escape(region_text(rid, full=True))
            if rid.startswith("right."):
                text = (_("<b>RIGHT</b> {region}") if mark
                        else _("<b>RIGHT</b> {region} (not ticked)"))
            else:
                text = (_("<b>LEFT</b> {region}") if mark
                        else _("<b>LEFT</b> {region} (not ticked)"))
            self.current_label.setText(text.format(region=name))
            intensity = round(mark.intensity) if mark else self.tools.intensity
            quality = mark.quality if mark else self.tools.quality
            self.intensity.setValue(intensity)
            self.quality.setCurrentIndex(max(0, self.quality.findData(quality)))
        finally:
            self._syncing = False

    def current_region(self) -> str | None:
        it = self.tree.currentItem()
        return None if it is None else it.data(0, Qt.ItemDataRole.UserRole)

    def select_region(self, rid: str) -> None:
        self.tree.setCurrentItem(self.items[rid])

    # ------------------------------------------------------------------ view -> model
    def _item_changed(self, it: QTreeWidgetItem, column: int) -> None:
        if self._syncing or column != 0:
            return
        rid = it.data(0, Qt.ItemDataRole.UserRole)
        if rid is None:
            return
        if it.checkState(0) == Qt.CheckState.PartiallyChecked:
            # a user click cycles to "partial" only from our own tristate; treat as tick
            it.setCheckState(0, Qt.CheckState.Checked)
            return
        self.set_ticked(rid, it.checkState(0) == Qt.CheckState.Checked)

    def set_ticked(self, rid: str, on: bool) -> None:
        current = self.current_region() == rid
        edit = tick_region(
            self.editor.model, rid, on,
            self.intensity.value() if current else self.tools.intensity,
            self.quality.currentData() if current else self.tools.quality)
        if edit is not None:
            self.editor.push(edit)
        elif not on:
            self.sync()

    def _edit_current(self) -> None:
        if self._syncing:
            return
        rid = self.current_region()
        if rid is None:
            return
        edit = rate_region(self.editor.model, rid, self.intensity.value(),
                           self.quality.currentData())
        if edit is not None:
            self.editor.push(edit)
