"""The recovery journal's cost per finished stroke on a 500-stroke drawing (issue 9).

Baseline in the same run: what the first release did after every change — the whole
document serialised and written atomically (temp file, fsync, rename). The journal writes
one line (the new stroke) before the stroke's handler returns — what the paint path pays —
and its writer thread fdatasyncs it: "on the disk" is the time until that sync is done.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import realistic_strokes  # noqa: E402

from hipmap.core.document import Document, atomic_write_text  # noqa: E402
from hipmap.model.drawing import DrawingModel  # noqa: E402
from hipmap.model.journal import FileJournalStore, Recorder  # noqa: E402

N_STROKES, RUNS = 500, 40


def main() -> int:
    strokes = realistic_strokes(N_STROKES + RUNS, seed=7)
    with tempfile.TemporaryDirectory(prefix="hipmap-bench-journal-") as tmp:
        model = DrawingModel()
        model.load(Document(marks=strokes[:N_STROKES]))
        rec = Recorder(model, FileJournalStore(Path(tmp) / "recovery"))
        rec.set_modified(True)
        journal_ms, durable_ms, whole_ms, sizes = [], [], [], []
        for s in strokes[N_STROKES:]:
            (mid,) = model.add_marks([s])  # the geometry is not what is measured: the entry is
            model.remove_marks([mid])
            entry = {"op": "marks", "remove": [], "add": [[mid, s.to_json()]]}
            t0 = time.perf_counter()
            before = rec.writer.size()
            rec._append(entry)
            journal_ms.append((time.perf_counter() - t0) * 1000)
            rec.writer.sync()
            durable_ms.append((time.perf_counter() - t0) * 1000)
            sizes.append(rec.writer.size() - before)
            doc = model.document()
            t0 = time.perf_counter()
            atomic_write_text(Path(tmp) / "whole.hipmap.json", doc.dumps())
            whole_ms.append((time.perf_counter() - t0) * 1000)
        j, w = statistics.median(journal_ms), statistics.median(whole_ms)
        print(f"hipmap recovery journal ({N_STROKES} strokes in the drawing, {RUNS} runs)")
        print(f"  journal: one entry written (the paint path) median {j:6.2f} ms  "
              f"(p95 {sorted(journal_ms)[int(RUNS * 0.95)]:.2f} ms), "
              f"{statistics.median(sizes):.0f} bytes")
        d = statistics.median(durable_ms)
        print(f"  journal: the entry on the disk (writer thread's fdatasync) median {d:6.2f} ms "
              f"(p95 {sorted(durable_ms)[int(RUNS * 0.95)]:.2f} ms)")
        print(f"  baseline: whole document, atomic write median {w:6.2f} ms  "
              f"({len(doc.dumps()) // 1024} KB)  -> paint path {w / j:.0f}x cheaper")
        rec.close(discard=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
