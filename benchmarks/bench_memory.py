"""Memory over a long day (issue 13): resident memory of the real window (a child process)
with 50 strokes, then after painting up to 2000 strokes one by one, undoing them all back to
50, redoing them, undoing them again and clearing the undo stack (as a new patient would).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_memory.py

Prints the resident set sizes (VmRSS, Linux) and their ratio [target <= 1.5x]; also the
peak with 2000 strokes on the diagram. No asserts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _env import user_env  # noqa: E402

CHILD = r"""
import gc, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, HERE)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QSettings
from bench_gui import _random_strokes
from hipmap.model.edits import AddMarks
from hipmap.ui.app import make_app
from hipmap.ui.main_window import MainWindow

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

app = make_app(["bench"])
tmp = tempfile.mkdtemp()
win = MainWindow(settings=QSettings(tmp + "/s.ini", QSettings.Format.IniFormat),
                 data_dir=Path(tmp), lazy_chart=False, ask_save=lambda: "discard")
win.resize(1280, 800); win.show(); app.processEvents()
pool = _random_strokes(2000)

def settle():
    for _ in range(3):
        app.processEvents()
    gc.collect()
    app.processEvents()

for s in pool[:50]:
    win.editor.push(AddMarks("Stroke", [s])); app.processEvents()
win.stack.clear(); settle()
base = rss_mb()
for i, s in enumerate(pool[50:]):
    win.editor.push(AddMarks("Stroke", [s]))
    if i % 10 == 0:
        app.processEvents()
settle()
peak = rss_mb()
for _ in range(2):
    for _ in range(1950):
        win.stack.undo()
    settle()
    if _ == 0:
        for _ in range(1950):
            win.stack.redo()
        settle()
win.stack.clear(); settle()
after = rss_mb()
print(f"{base:.1f} {peak:.1f} {after:.1f} {len(win.model.marks)}")
win.files.flush_recovery(); win.stack.setClean(); win.close()
"""


def main() -> int:
    env = user_env()
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run([sys.executable, "-c", f"HERE = {str(HERE)!r}\n" + CHILD],
                         capture_output=True, text=True, env=env, cwd=HERE.parent, check=True)
    base, peak, after, marks = out.stdout.split()[-4:]
    b, p, a = float(base), float(peak), float(after)
    print("hipmap memory over a long day (the real window, offscreen, a child process)")
    print(f"  50 strokes, undo stack empty: {b:.1f} MB resident")
    print(f"  2000 strokes painted one by one: {p:.1f} MB")
    print(f"  after undoing 1950, redoing them, undoing them again and clearing the undo stack "
          f"({marks} strokes left): {a:.1f} MB = {a / b:.2f}x the 50-stroke figure   "
          f"[target <= 1.5x]")
    return 0


if __name__ == "__main__":
    if sys.platform != "linux":
        print("bench_memory: reads /proc (Linux only); skipped")
        raise SystemExit(0)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
