from hipmap.ui.standalone import run


def build(s):
    from datetime import UTC, datetime

    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from hipmap.storage import CheckIn, InboxItem, Patient, VisitSummary
    from hipmap.storage.documents import VisitInfo
    from hipmap.ui.record import RecordBar, RecordPanel

    when = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    w = QWidget()
    lay = QVBoxLayout(w)
    bar = RecordBar()
    bar.show_visit(Patient("P-0042", "Ana García"), VisitInfo(12, "P-0042", when, "clinician", 3))
    bar.show_status("Saved in the clinic record at 09:14:05 (version 3)", problem=False)
    lay.addWidget(bar)
    panel = RecordPanel()
    panel.set_visits([VisitSummary(12, "P-0042", when, "clinician", "see_clinician",
                                   "greater_trochanteric_pain_syndrome", 3),
                      VisitSummary(7, "P-0042", when.replace(month=10), "kiosk", "urgent",
                                   None, 1)], 12)
    panel.set_inbox([InboxItem(31, when, when, "emergency", [
        {"id": "cauda_equina", "message": "Numbness around the groin with new bladder "
         "trouble can mean the nerves at the base of the spine are squeezed."}],
        CheckIn(code="B2")), InboxItem(30, when, when, "self_care", [], CheckIn(code="A1"))])
    panel.setCurrentIndex(1)
    lay.addWidget(panel, 1)
    return w


raise SystemExit(run(build, "clinic record: bar, visits and inbox", (900, 520)))
