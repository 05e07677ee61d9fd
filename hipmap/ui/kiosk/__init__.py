"""The patient kiosk (issue 11; contract §9): a guided, touch-first, locked-down flow that hands
off to the clinician through the clinic record.

Public API (what ``hipmap --kiosk`` uses):

* :class:`KioskWindow` — the locked-down window (window.py) holding one :class:`KioskFlow`
  (flow.py) per patient.
* :func:`record_submitter` — how a submission reaches the record: ``Store.submit_kiosk`` and
  nothing else (on PostgreSQL the ``hipmap_kiosk`` role may do only that).
* :func:`run` — ``hipmap --kiosk [--db URL]``; :func:`self_test` — ``hipmap --kiosk
  --self-test [--db URL]``.

Its texts are in the kiosk's own catalog, ``hipmap_kiosk`` (babel_kiosk.cfg).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hipmap.core.document import Document
from hipmap.ui.kiosk.flow import KioskFlow
from hipmap.ui.kiosk.window import KioskWindow


def record_submitter(store: Any, home_language: str) -> Callable[[Document, dict[str, str]], int]:
    """``submit(document, checkin_fields)``: one kiosk submission into ``store`` (source
    ``kiosk``, with its check-in); returns the visit number. ``store`` is a Store, or a
    function that opens one (called at each submission until it succeeds: a server that was
    down when the kiosk started is used once it is back). The assessment stored with it
    (urgency, red flags for the inbox) is worded in the kiosk's home language — the clinic's —
    whatever language the patient chose; the document records the patient's language."""
    from hipmap.i18n import language, set_language
    from hipmap.knowledge.assessment import assess
    from hipmap.storage import CheckIn

    opened: list[Any] = [] if callable(store) else [store]

    def submit(doc: Document, fields: dict[str, str]) -> int:
        if not opened:
            opened.append(store())
        checkin = CheckIn(**{k: v for k, v in fields.items() if v})
        patient_language = language()
        set_language(home_language)
        try:
            assessment = assess(doc)
        finally:
            set_language(patient_language)
        return opened[0].submit_kiosk(doc, checkin=checkin, assessment=assessment)

    return submit


def run(db: str | None = None) -> int:
    from hipmap.ui.kiosk.app import run_kiosk

    return run_kiosk(db)


def self_test(db: str | None = None) -> int:
    from hipmap.ui.kiosk.selftest import run_self_test

    return run_self_test(db)


__all__ = ["KioskFlow", "KioskWindow", "record_submitter", "run", "self_test"]
