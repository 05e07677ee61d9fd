"""What the user waits for as the drawing grows (issue 13): the next frame fully painted.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_frames.py [--quick]

The real window (offscreen raster, 1280×800). Strokes are painted one after another and never
undone, so the drawing really grows: 50, 500 and 2000 strokes. At each size, timed from the
event to the event loop drained with the canvas' frame painted (a paint event seen on the
viewport):

* stroke end (mouse release) → the ranking updated and the next frame painted;
* a zoom step (+ / −) → the next frame (from 100 marks in a view, the previous image scaled)
  and → the exact frame (the marks painted again at the new scale, in slices between events);
* an undo → the next frame (then a redo, untimed, keeps the size);
* a pointer move while painting, with the frame it causes.

Prints medians, and the 2000/50 ratio (no asserts). Targets in brackets.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_gui import _random_strokes, bench_window, send_mouse  # noqa: E402

SIZES = (50, 500, 2000)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    runs = 5 if quick else 11
    from PySide6.QtCore import QEvent, QObject

    from hipmap.model.edits import AddMarks

    app, win = bench_window()
    canvas = win.canvas
    vp = canvas.viewport()

    class Painted(QObject):
        n = 0

        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint:
                Painted.n += 1
            return False

    spy = Painted()
    vp.installEventFilter(spy)

    def drain() -> None:
        """Until the event loop has nothing left and the canvas has painted its frame."""
        before = Painted.n
        for _ in range(20):
            app.processEvents()
            if Painted.n > before:
                break
        app.processEvents()

    va = win.atlas.view("back")
    cx, cy = va.regions["right.posterior_thigh"].geom.representative_point().coords[0]

    def mouse(kind: QEvent.Type, x: float, y: float) -> None:
        send_mouse(canvas, kind, x, y)

    pool = _random_strokes(SIZES[-1] + 10)
    painted = 0
    results: dict[int, dict[str, float]] = {}
    for size in SIZES:
        # grow the drawing to `size` strokes: one edit per stroke, a frame after each batch
        while painted < size:
            batch = pool[painted:min(size, painted + 25)]
            for s in batch:
                win.editor.push(AddMarks("Stroke", [s]))
            painted += len(batch)
            drain()
        canvas.fit()
        drain()
        stroke_ms, move_ms, zoom_ms, exact_ms, undo_ms = [], [], [], [], []
        for k in range(runs):
            x0 = cx + (k % 5) * 4 - 8
            mouse(QEvent.Type.MouseButtonPress, x0, cy - 100)
            drain()
            for j in range(1, 40):
                t0 = time.perf_counter()
                mouse(QEvent.Type.MouseMove, x0 + (j % 3), cy - 100 + j * 5)
                drain()  # the frame it causes (the live stroke's changed area)
                move_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            mouse(QEvent.Type.MouseButtonRelease, x0 + 1, cy + 100)
            drain()
            stroke_ms.append((time.perf_counter() - t0) * 1000)
            painted += 1
        layers = [g.marks for g in canvas.groups.values()]
        for k in range(runs):
            t0 = time.perf_counter()
            before = Painted.n
            canvas.zoom_by(1.25 if k % 2 == 0 else 0.8)
            while Painted.n == before:  # the first frame at the new scale, painted
                app.processEvents()
            first = time.perf_counter()
            if any(getattr(layer, "building", bool)() for layer in layers):
                while any(layer.building() for layer in layers):  # the exact image, in slices
                    app.processEvents()
                drain()  # ... and the frame that shows it
            zoom_ms.append((first - t0) * 1000)
            exact_ms.append((time.perf_counter() - t0) * 1000)
        canvas.fit()
        drain()
        for _k in range(runs):
            t0 = time.perf_counter()
            win.stack.undo()
            drain()
            undo_ms.append((time.perf_counter() - t0) * 1000)
            win.stack.redo()
            drain()
        results[size] = {"stroke": statistics.median(stroke_ms),
                         "zoom": statistics.median(zoom_ms),
                         "exact": statistics.median(exact_ms),
                         "undo": statistics.median(undo_ms),
                         "move": statistics.median(move_ms)}
        painted = len(win.model.marks)
    win.files.flush_recovery()
    win.stack.setClean()
    win.close()

    print(f"hipmap frames as the drawing grows (offscreen, 1280x800, median of {runs})")
    print(f"  {'strokes':>8} {'stroke end->frame':>18} {'zoom->frame':>12} {'zoom->exact':>12} "
          f"{'undo':>8} {'move+frame':>11}")
    for size, r in results.items():
        print(f"  {size:>8} {r['stroke']:>15.1f} ms {r['zoom']:>9.1f} ms {r['exact']:>9.1f} ms "
              f"{r['undo']:>5.1f} ms {r['move']:>8.2f} ms")
    a, b, m = results[SIZES[0]], results[SIZES[-1]], results[500]
    print(f"  stroke end->frame at 500: {m['stroke']:.1f} ms   [target <= 16 ms]")
    for key, name in (("stroke", "stroke end"), ("zoom", "zoom step (first frame)"),
                      ("exact", "zoom step (exact frame)"), ("undo", "undo")):
        print(f"  {name}: 2000/50 ratio {b[key] / a[key]:.2f}x   [target <= 1.5x]")
    print(f"  pointer move + repaint at 2000: {b['move']:.2f} ms   [target <= 2 ms]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
