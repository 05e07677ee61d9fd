"""A real hipmap window on the clinic record, for the kill -9 test (test_record_window.py).

Opens patient P-0042 (a first visit), stops the autosave (as if the pause never came),
paints two strokes through the real canvas, waits until the database journal holds them,
prints ``JOURNALED`` and sleeps until it is killed.

Environment: HIPMAP_TEST_DB (the record's URL), HIPMAP_DATA_DIR (the data folder).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, qInstallMessageHandler
from PySide6.QtTest import QTest

from hipmap.ui.app import make_app
from hipmap.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gui"))
from guihelpers import drag, vertical_line


def main() -> None:
    qInstallMessageHandler(lambda *_a: None)
    app = make_app(["hipmap"])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, data_dir=Path(os.environ["HIPMAP_DATA_DIR"]),
                     db=os.environ["HIPMAP_TEST_DB"], lazy_chart=False,
                     ask_save=lambda: "discard", show_error=lambda t, m: print("ERROR", m),
                     record_options={"autosave_ms": 3_600_000, "journal_ms": 20})
    win.resize(1100, 760)
    win.show()
    QTest.qWaitForWindowExposed(win)
    s = win.record.session
    deadline = time.monotonic() + 60
    while not s.ready and time.monotonic() < deadline:
        QTest.qWait(10)
    assert s.open_patient("P-0042")
    for region, view in (("right.lateral_hip", "front"), ("left.anterior_knee", "front")):
        pt = win.atlas.view(view).regions[region].geom.representative_point()
        drag(win.canvas, view, vertical_line(pt.x, pt.y - 15, pt.y + 15))
    store = s.records.store
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        QTest.qWait(20)
        entry = store.journal_get(1)
        if entry is not None and entry.payload.count('"kind": "stroke"') == 2:
            break
    print("JOURNALED", flush=True)
    app.processEvents()
    time.sleep(600)


if __name__ == "__main__":
    main()
