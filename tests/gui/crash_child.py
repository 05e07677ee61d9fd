"""A real hipmap window in its own process, for the kill -9 test (test_crash.py).

Starts the window the way ``hipmap`` does (diagram first, then the rest; then the start-up
session, which offers — here: restores — what a crashed window left), prints the restored
marks, then paints strokes through the real canvas with mouse events, printing each stroke
as soon as the mouse release has returned, until it is killed.

Usage: python crash_child.py SEED STROKES   (data folder: $HIPMAP_DATA_DIR)
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt, qInstallMessageHandler
from PySide6.QtTest import QTest

from hipmap.ui.app import make_app
from hipmap.ui.main_window import MainWindow

REGIONS = ("right.posterior_thigh", "left.posterior_thigh", "right.buttock", "left.buttock",
           "right.posterior_leg", "left.lower_back")


def say(*words: object) -> None:
    sys.stdout.write(" ".join(map(str, words)) + "\n")
    sys.stdout.flush()


def main() -> None:
    seed, strokes = int(sys.argv[1]), int(sys.argv[2])
    qInstallMessageHandler(lambda *_a: None)
    app = make_app(["hipmap"])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, ask_recover=lambda _o: "restore",
                     ask_save=lambda: "discard",
                     show_error=lambda t, m: say("ERROR", json.dumps([t, m])),
                     progressive=True)
    win.resize(1100, 760)
    win.show()
    QTest.qWaitForWindowExposed(win)
    deadline = time.monotonic() + 60
    while not win.is_ready and time.monotonic() < deadline:
        app.processEvents()
        QTest.qWait(5)
    win.files.start_session()
    app.processEvents()
    say("RECOVERED", json.dumps([m.to_json() for m in win.model.marks.values()]))
    rng = random.Random(seed)
    canvas = win.canvas
    vp = canvas.viewport()
    for _ in range(strokes):
        geom = win.atlas.view("back").regions[rng.choice(REGIONS)].geom
        x, y = geom.representative_point().coords[0]
        x += rng.uniform(-8, 8)
        pts = [canvas.viewport_point("back", x + rng.uniform(-2, 2), y - 30 + 6 * i)
               for i in range(rng.randint(3, 11))]
        QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         pts[0])
        for p in pts[1:]:
            QTest.mouseMove(vp, p)
        before = set(win.model.marks)
        QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           pts[-1])
        (new,) = set(win.model.marks) - before
        say("DONE", json.dumps(win.model.marks[new].to_json()))
        app.processEvents()
    say("IDLE")
    while True:  # until killed
        app.processEvents()
        time.sleep(0.01)


if __name__ == "__main__":
    main()
