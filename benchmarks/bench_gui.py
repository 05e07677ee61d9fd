"""GUI speed: pointer moves, stroke-to-ranking, start-up vs a bare QMainWindow.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py

Prints medians and ratios (no asserts; targets from issue 3 in brackets). Everything runs
offscreen, so painting costs are the raster engine's, as on a machine without a GPU.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _env import user_env

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
N_STROKES = 500

BARE = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(["bare"])
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
print("shown", flush=True)
"""

HIPMAP = """
import sys, tempfile
from pathlib import Path
from PySide6.QtCore import QSettings
from hipmap.ui.app import make_app
app = make_app(["hipmap"])
from hipmap.ui.main_window import MainWindow
tmp = tempfile.mkdtemp()
# as `hipmap` starts: the window with the diagram first, the rest after the first frame
w = MainWindow(settings=QSettings(tmp + "/s.ini", QSettings.Format.IniFormat),
               data_dir=Path(tmp), progressive=True)
w.resize(1280, 800); w.show(); app.processEvents()
print("shown", flush=True)
w.ready.connect(lambda: (print("ready", flush=True), app.quit()))
app.exec()
"""


def _startup(code: str) -> tuple[float, float | None]:
    """Seconds to the first shown window and, when the child says so, to a ready one."""
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=user_env(),
                         stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    assert p.stdout is not None
    line = p.stdout.readline()
    shown = time.perf_counter() - t0
    ready = None
    if "ready" in code and "ready" in p.stdout.readline():
        ready = time.perf_counter() - t0
    p.kill()
    p.wait()
    if "shown" not in line:
        raise RuntimeError("the child did not show its window")
    return shown, ready


def bench_startup(runs: int = 9) -> tuple[float, float, float]:
    bare, ours, ready = [], [], []
    _startup(BARE)  # warm the file cache
    _startup(HIPMAP)
    for _ in range(runs):
        bare.append(_startup(BARE)[0])
        shown, done = _startup(HIPMAP)
        ours.append(shown)
        if done is not None:
            ready.append(done)
    return statistics.median(bare), statistics.median(ours), statistics.median(ready)


def send_mouse(canvas, kind, x: float, y: float) -> None:
    """One mouse event on the back view at diagram point (x, y), as a pointer sends it."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    vp = canvas.viewport()
    pos = QPointF(canvas.viewport_point("back", x, y))
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease \
        else Qt.MouseButton.LeftButton
    ev = QMouseEvent(kind, pos, vp.mapToGlobal(pos), Qt.MouseButton.LeftButton
                     if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
                     buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, ev)


def _random_strokes(n: int):
    from hipmap.core.document import Stroke
    from hipmap.geometry.atlas import load_atlas

    rnd = random.Random(7)
    atlas = load_atlas()
    out = []
    views = ("front", "back", "right_side", "left_side")
    for i in range(n):
        view = views[i % 4]
        va = atlas.view(view)
        minx, miny, maxx, maxy = va.outline.bounds
        x, y = rnd.uniform(minx + 30, maxx - 30), rnd.uniform(miny + 50, maxy - 120)
        pts = tuple((round(x + rnd.uniform(-2, 2) + j * 0.4, 1), round(y + j * 2.5, 1))
                    for j in range(rnd.randint(20, 60)))
        out.append(Stroke(view, pts, rnd.choice([10.0, 18.0, 26.0]), rnd.randint(2, 9),
                          rnd.choice([None, "shooting", "burning", "tingling"])))
    return out


def bench_window() -> tuple[Any, Any]:
    """The application and a shown 1280x800 clinician window on a throwaway data folder."""
    from PySide6.QtCore import QSettings

    from hipmap.ui.app import make_app
    from hipmap.ui.main_window import MainWindow

    app = make_app(["bench"])
    tmp = tempfile.mkdtemp()
    win = MainWindow(settings=QSettings(tmp + "/s.ini", QSettings.Format.IniFormat),
                     data_dir=Path(tmp), lazy_chart=False, ask_save=lambda: "discard")
    win.resize(1280, 800)
    win.show()
    app.processEvents()
    return app, win


def bench_interaction() -> dict[str, float]:
    from PySide6.QtCore import QEvent

    from hipmap.core.document import Document

    app, win = bench_window()
    win.model.load(Document(marks=_random_strokes(N_STROKES)))
    app.processEvents()
    win.repaint()
    canvas = win.canvas
    vp = canvas.viewport()
    va = win.atlas.view("back")
    cx, cy = va.regions["right.posterior_thigh"].geom.representative_point().coords[0]

    def mouse(kind: QEvent.Type, x: float, y: float) -> None:
        send_mouse(canvas, kind, x, y)

    move_ms, move_paint_ms, stroke_ms = [], [], []
    for k in range(25):
        x0 = cx + (k % 5) * 4 - 8
        mouse(QEvent.Type.MouseButtonPress, x0, cy - 120)
        for j in range(1, 80):
            t0 = time.perf_counter()
            mouse(QEvent.Type.MouseMove, x0 + (j % 3), cy - 120 + j * 3)
            t1 = time.perf_counter()
            move_ms.append((t1 - t0) * 1000)
            if j % 8 == 0:  # now and then, the frame it causes too
                vp.repaint()
                move_paint_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        mouse(QEvent.Type.MouseButtonRelease, x0 + 1, cy + 120)
        win.assessment_panel.repaint()  # ranking chart and urgency drawn now
        stroke_ms.append((time.perf_counter() - t0) * 1000)
        app.processEvents()
        win.stack.undo()  # keep the drawing at N_STROKES
        app.processEvents()
    win.files.flush_recovery()
    win.stack.setClean()
    win.close()
    return {"move": statistics.median(move_ms),
            "move_p95": sorted(move_ms)[int(len(move_ms) * 0.95)],
            "move_paint": statistics.median(move_paint_ms),
            "stroke": statistics.median(stroke_ms),
            "stroke_p95": sorted(stroke_ms)[int(len(stroke_ms) * 0.95)]}


def main() -> int:
    print(f"hipmap GUI benchmark (offscreen, {N_STROKES} strokes already painted)")
    r = bench_interaction()
    print(f"  pointer move, handler only   median {r['move']:.3f} ms  p95 "
          f"{r['move_p95']:.3f} ms   [target median <= 2 ms]")
    print(f"  pointer move + its repaint   median {r['move_paint']:.2f} ms")
    print(f"  stroke end -> ranking shown  median {r['stroke']:.2f} ms  p95 "
          f"{r['stroke_p95']:.2f} ms   [target median <= 16 ms]")
    bare, ours, ready = bench_startup()
    print(f"  start-up to first shown window: bare QMainWindow {bare * 1000:.0f} ms, "
          f"hipmap {ours * 1000:.0f} ms (diagram shown), ratio {ours / bare:.2f}x   "
          f"[target <= 1.3x]")
    print(f"  start-up to a ready window (panels built, painting possible): "
          f"{ready * 1000:.0f} ms, ratio {ready / bare:.2f}x   [target <= 2.5x]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
