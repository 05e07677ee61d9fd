"""The clinic record's widgets: the record bar (patient banner, visit date, save state,
New Visit, Open Patient, Retry), the visits and inbox panel, the Open Patient dialog and the
conflict dialog that shows both versions. ``python -m hipmap.ui.record`` shows them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hipmap.i18n import _
from hipmap.report.palette import (
    RECORD_BAR,
    RECORD_BORDER,
    RECORD_PROBLEM,
    RECORD_SAVED,
    URGENCY,
)

if TYPE_CHECKING:
    from hipmap.core.document import Document
    from hipmap.storage.documents import RecordConflict, VisitInfo
    from hipmap.storage.store import InboxItem, Patient, VisitSummary


def when_text(dt: datetime | None) -> str:
    """A stored time in this computer's local time: '2026-11-20 10:00'."""
    if dt is None:
        return "—"
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def urgency_word(urgency: str | None) -> str:
    return {"emergency": _("EMERGENCY"), "urgent": _("URGENT"),
            "see_clinician": _("see a clinician"), "self_care": _("self-care"),
            }.get(urgency or "", _("not assessed"))


def source_word(source: str) -> str:
    return _("from the kiosk") if source == "kiosk" else _("clinician")


# ============================================================================ the bar

class RecordBar(QFrame):
    """Across the window, under the red-flag banner: who, which visit, saved or not."""

    new_visit_requested = Signal()
    open_patient_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordBar")
        self.setAccessibleName(_("Clinic record"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 3, 10, 3)
        lay.setSpacing(10)
        self.patient = QLabel()
        self.patient.setTextFormat(Qt.TextFormat.RichText)
        self.visit = QLabel()
        self.state = QLabel()
        self.state.setWordWrap(True)
        lay.addWidget(self.patient)
        lay.addWidget(self.visit)
        lay.addWidget(self.state, 1)
        self.retry = QPushButton(_("Retry"))
        self.retry.setToolTip(_("Try the clinic record again"))
        self.retry.clicked.connect(self.retry_requested)
        self.new_visit = QPushButton(_("New Visit"))
        self.new_visit.setToolTip(_("Start a new visit of this patient, dated now"))
        self.new_visit.clicked.connect(self.new_visit_requested)
        self.open_patient = QPushButton(_("Open Patient…"))
        self.open_patient.setToolTip(_("Find a patient by id or name"))
        self.open_patient.clicked.connect(self.open_patient_requested)
        for b in (self.retry, self.new_visit, self.open_patient):
            lay.addWidget(b)
        self.show_visit(None, None)
        self.show_status("", problem=False)

    def show_visit(self, patient: Patient | None, info: VisitInfo | None) -> None:
        if patient is None and info is None:
            self.patient.setText(_("No patient open"))
            self.visit.setText(_("(this drawing is not in the clinic record)"))
            return
        if patient is not None:
            name = f" · {patient.name}" if patient.name else ""
            self.patient.setText("<b>{}</b>".format(_("Patient {patient}").format(
                patient=patient.id) + name))
        else:
            self.patient.setText("<b>{}</b>".format(_("No patient yet")))
        if info is None:
            self.visit.setText(_("(this drawing is not in the clinic record)"))
        else:
            self.visit.setText(_("Visit {visit} · {date} · {source}").format(
                visit=info.visit, date=when_text(info.recorded_at),
                source=source_word(info.source)))

    def show_status(self, text: str, *, problem: bool) -> None:
        self.state.setText(text)
        self.retry.setVisible(problem)
        bg, fg = RECORD_PROBLEM if problem else RECORD_BAR
        colour = fg if problem else RECORD_SAVED
        self.setStyleSheet(f"#recordBar {{ background: {bg}; border-bottom: 1px solid "
                           f"{RECORD_PROBLEM[0] if problem else RECORD_BORDER}; }} "
                           f"#recordBar QLabel {{ color: {fg}; }}")
        self.state.setStyleSheet(f"color: {colour};")


# ============================================================================ the panel

class RecordPanel(QTabWidget):
    """The patient's visits (newest first) and the inbox of kiosk submissions."""

    visit_requested = Signal(int)
    submission_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.visits = QListWidget()
        self.visits.setAccessibleName(_("The patient's visits"))
        self.visits.setWordWrap(True)
        self.visits.itemActivated.connect(self._visit_chosen)
        self.visits.itemClicked.connect(self._visit_chosen)
        self.inbox = QListWidget()
        self.inbox.setAccessibleName(_("Inbox of kiosk submissions"))
        self.inbox.setWordWrap(True)
        self.inbox.itemActivated.connect(self._submission_chosen)
        self.inbox.itemDoubleClicked.connect(self._submission_chosen)
        inbox_page = QWidget()
        il = QVBoxLayout(inbox_page)
        il.setContentsMargins(0, 0, 0, 0)
        il.addWidget(self.inbox, 1)
        self.open_submission = QPushButton(_("Open the submission"))
        self.open_submission.clicked.connect(
            lambda: self.inbox.currentItem() and self._submission_chosen(
                self.inbox.currentItem()))
        il.addWidget(self.open_submission)
        self.addTab(self.visits, _("Visits"))
        self.addTab(inbox_page, _("Inbox"))
        self.current_visit: int | None = None
        self.set_inbox([])

    def set_visits(self, visits: list[VisitSummary], current: int | None) -> None:
        self.current_visit = current
        self.visits.clear()
        if not visits:
            item = QListWidgetItem(_("No visits"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.visits.addItem(item)
            return
        for v in visits:
            text = _("{date} — visit {visit} — {urgency}").format(
                date=when_text(v.recorded_at), visit=v.visit, urgency=urgency_word(v.urgency))
            if v.source == "kiosk":
                text += " — " + source_word(v.source)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, v.visit)
            if v.visit == current:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setText("▶ " + text)
            self.visits.addItem(item)

    def set_inbox(self, items: list[InboxItem]) -> None:
        self.inbox.clear()
        self.setTabText(1, _("Inbox ({n})").format(n=len(items)) if items else _("Inbox"))
        self.open_submission.setEnabled(bool(items))
        if not items:
            item = QListWidgetItem(_("No new kiosk submissions"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.inbox.addItem(item)
            return
        for i in items:
            who = inbox_who(i)
            lines = [_("{urgency} — {time} — {who}").format(
                urgency=urgency_word(i.urgency), time=when_text(i.submitted_at), who=who)]
            if i.red_flags:
                lines.append(_("Red flags: {flags}").format(flags="; ".join(
                    str(f.get("message") or f.get("id")) for f in i.red_flags)))
            item = QListWidgetItem("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, i.visit)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, " ".join(lines))
            if i.urgency in ("emergency", "urgent"):
                bg, fg = URGENCY[i.urgency]
                item.setBackground(QBrush(QColor(bg)))
                item.setForeground(QBrush(QColor(fg)))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.inbox.addItem(item)
        # current without the selection highlight, which would hide the urgency colour
        self.inbox.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)

    def _visit_chosen(self, item: QListWidgetItem) -> None:
        vid = item.data(Qt.ItemDataRole.UserRole)
        if vid is not None and vid != self.current_visit:
            self.visit_requested.emit(int(vid))

    def _submission_chosen(self, item: QListWidgetItem) -> None:
        vid = item.data(Qt.ItemDataRole.UserRole)
        if vid is not None:
            self.submission_requested.emit(int(vid))


def inbox_who(i: InboxItem) -> str:
    if i.patient:
        return _("patient {patient}").format(patient=i.patient)
    c = i.checkin
    if c is not None and c.code:
        return _("check-in code {code}").format(code=c.code)
    if c is not None and (c.birth_date or c.initials):
        return _("born {date}, initials {initials}").format(
            date=c.birth_date or "—", initials=c.initials or "—")
    return _("visit {visit}").format(visit=i.visit)


# ============================================================================ dialogs

class OpenPatientDialog(QDialog):
    """Find a patient by id or name (recent patients while the box is empty); an id that
    is not in the record can be created."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Open Patient"))
        self.resize(460, 420)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("Patient id or name:")))
        self.query = QLineEdit()
        self.query.setAccessibleName(_("Patient id or name"))
        self.query.setPlaceholderText(_("e.g. P-0042 or García"))
        lay.addWidget(self.query)
        self.heading = QLabel()
        lay.addWidget(self.heading)
        self.results = QListWidget()
        self.results.setAccessibleName(_("Patients found"))
        lay.addWidget(self.results, 1)
        self.error = QLabel()
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.query.textChanged.connect(self.search)
        self.query.returnPressed.connect(self.accept)
        self.results.itemActivated.connect(lambda _i: self.accept())
        self.chosen: str | None = None
        self.search("")

    def search(self, text: str) -> None:
        from hipmap.storage.errors import StorageError

        text = text.strip()
        self.results.clear()
        try:
            found = self.session.search(text) if text else self.session.recent_patients()
        except StorageError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.heading.setText(_("Patients found") if text else _("Recent patients"))
        for p in found:
            label = f"{p.id} — {p.name}" if p.name else p.id
            if p.birth_date:
                label += " " + _("(born {date})").format(date=p.birth_date)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.results.addItem(item)
        # last, so that Enter opens a patient found rather than creating one by mistake
        if text and not any(p.id == text for p in found):
            item = QListWidgetItem(_("New patient with id “{id}”").format(id=text))
            item.setData(Qt.ItemDataRole.UserRole, text)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def accept(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
        super().accept()


def _answer_value(value: Any) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None:
        return _("not answered")
    return str(value)


def difference_lines(mine: Document, theirs: Document) -> list[str]:
    """What differs, in words (regions with the patient's side first, answers)."""
    from hipmap.knowledge.texts import list_text, number_text, question_text, region_label
    from hipmap.storage.documents import compare

    d = compare(mine, theirs)
    out = [_("Marks: yours {mine}, theirs {theirs}").format(mine=d.marks[0],
                                                            theirs=d.marks[1])]
    if d.only_mine:
        out.append(_("Painted only in yours: {regions}").format(
            regions=list_text([region_label(r, full=False) for r in d.only_mine])))
    if d.only_theirs:
        out.append(_("Painted only in theirs: {regions}").format(
            regions=list_text([region_label(r, full=False) for r in d.only_theirs])))
    for r, a, b in d.intensity:
        out.append(_("{region}: intensity {mine}/10 in yours, {theirs}/10 in theirs").format(
            region=region_label(r, full=False), mine=number_text(a), theirs=number_text(b)))
    for k, a, b in d.answers:
        try:
            q = question_text(k)
        except KeyError:
            q = k
        out.append(_("“{question}”: {mine} in yours, {theirs} in theirs").format(
            question=q, mine=_answer_value(a), theirs=_answer_value(b)))
    if d.none:
        out.append(_("The regions and answers are the same."))
    return out


class ConflictDialog(QDialog):
    """Someone saved the visit since it was opened here: both drawings side by side, what
    differs, and three ways out (or decide later)."""

    def __init__(self, parent: QWidget | None, mine: Document, theirs: Document,
                 conflict: RecordConflict) -> None:
        from hipmap.ui.render import render_document_image

        super().__init__(parent)
        d = conflict.detail
        self.setWindowTitle(_("Visit {visit} was changed elsewhere").format(visit=d.visit))
        self.choice: str | None = None
        lay = QVBoxLayout(self)
        when = d.current.at.strftime("%Y-%m-%d %H:%M UTC")
        head = QLabel(_("<b>{who} saved visit {visit} at {when}</b> (version {version}) while "
                        "you were editing version {expected}. Nothing is lost: choose what "
                        "to keep.").format(who=d.current.who(), visit=d.visit, when=when,
                                           version=d.current.version, expected=d.expected))
        head.setWordWrap(True)
        lay.addWidget(head)
        grid = QGridLayout()
        for col, (title, doc) in enumerate(((_("Yours (not saved)"), mine),
                                            (_("Theirs (saved, version {version})").format(
                                                version=d.current.version), theirs))):
            t = QLabel(f"<b>{title}</b>")
            t.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(t, 0, col)
            img = render_document_image(doc, views=("front", "back"), title=title)
            pic = QLabel()
            pic.setPixmap(QPixmap.fromImage(img).scaledToWidth(
                430, Qt.TransformationMode.SmoothTransformation))
            pic.setAccessibleName(title)
            grid.addWidget(pic, 1, col)
        lay.addLayout(grid)
        self.differences = QLabel("\n".join(difference_lines(mine, theirs)))
        self.differences.setWordWrap(True)
        self.differences.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.differences)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, tip in (
                ("mine", _("Keep mine"), _("Save your drawing as the newest version; theirs "
                                           "stays in the visit's history")),
                ("theirs", _("Take theirs"), _("Open their version; your changes are "
                                               "dropped")),
                ("new", _("Save mine as a new visit"), _("Both are kept: yours becomes a "
                                                         "new visit of the patient")),
                (None, _("Decide later"), _("Keep your drawing open, unsaved"))):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _c=False, k=key: self._choose(k))
            row.addWidget(b)
            if key:
                self.buttons[key] = b
        lay.addLayout(row)

    def _choose(self, key: str | None) -> None:
        self.choice = key
        if key is None:
            self.reject()
        else:
            self.accept()


class DatabaseDialog(QDialog):
    """Record > Clinic Database: the embedded file on this computer, or a clinic's
    PostgreSQL server. The password goes to the keyring (or pgpass), never the settings;
    the connection's security (sslmode) is shown."""

    def __init__(self, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Clinic Database"))
        self.resize(620, 300)
        lay = QVBoxLayout(self)
        intro = QLabel(_("Leave the address empty to use the database on this computer. For "
                         "the clinic's server: postgresql+psycopg://USER@HOST:PORT/DATABASE"
                         "?sslmode=verify-full"))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        lay.addWidget(QLabel(_("Address:")))
        self.url = QLineEdit(current or "")
        self.url.setAccessibleName(_("Database address"))
        lay.addWidget(self.url)
        lay.addWidget(QLabel(_("Password (kept in this computer's keyring, never in the "
                               "settings):")))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Database password"))
        lay.addWidget(self.password)
        self.security = QLabel()
        self.security.setWordWrap(True)
        lay.addWidget(self.security)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.url.textChanged.connect(self._describe)
        self._describe()

    def _describe(self) -> None:
        from hipmap.storage.credentials import sslmode
        from hipmap.storage.errors import StorageError

        text = self.url.text().strip()
        if not text:
            self.security.setText(_("The database on this computer (nothing to set up)."))
            return
        try:
            mode = sslmode(text)
        except StorageError as exc:
            self.security.setText(str(exc))
            return
        if mode is None:
            self.security.setText(_("A database file on this computer."))
        else:
            safe = mode in ("require", "verify-ca", "verify-full")
            self.security.setText(_("Connection security (sslmode): {mode} — {meaning}").format(
                mode=mode, meaning=_("encrypted") if safe else
                _("may be unencrypted: ask for sslmode=verify-full")))

    def chosen_url(self) -> str | None:
        """The address with the password typed (None: the database on this computer)."""
        from sqlalchemy.engine import make_url

        text = self.url.text().strip()
        if not text:
            return None
        pw = self.password.text()
        if pw:
            return make_url(text).set(password=pw).render_as_string(hide_password=False)
        return text
