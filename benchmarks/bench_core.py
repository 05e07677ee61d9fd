"""Core speed: incremental coverage vs full recompute, the matcher, the CLI start-up.

Prints medians and ratios against a baseline measured in the same run. No pass/fail: the
README records the figures and the targets (issue 2).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _env import user_env  # noqa: E402

from hipmap.core.document import Document, Stroke  # noqa: E402
from hipmap.geometry.atlas import load_atlas  # noqa: E402
from hipmap.geometry.coverage import Coverage, coverage_of  # noqa: E402
from hipmap.geometry.sampling import middle_stroke  # noqa: E402
from hipmap.knowledge.assessment import assess  # noqa: E402


def realistic_strokes(n: int, seed: int = 1) -> list[Stroke]:
    """Brush paths along atlas regions with hand jitter, 40-120 points each."""
    rnd = random.Random(seed)
    atlas = load_atlas()
    pool = [(v, a.geom) for v, va in atlas.views.items() for a in va.regions.values()]
    out = []
    while len(out) < n:
        view, geom = rnd.choice(pool)
        width = rnd.choice([8.0, 12.0, 16.0, 24.0])
        try:
            base = middle_stroke(geom, width, step=2.0)
        except ValueError:
            continue
        pts = tuple((x + rnd.gauss(0, 1.2), y + rnd.gauss(0, 1.2)) for x, y in base[:120])
        out.append(Stroke(view, pts, width, intensity=rnd.randint(1, 10),
                          quality=rnd.choice([None, "shooting", "dull_ache", "burning"])))
    return out


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def bench_incremental() -> None:
    strokes = realistic_strokes(560)
    base, extra = strokes[:500], strokes[500:]
    cov = Coverage()
    for i, s in enumerate(base):
        cov.add(i, s)
    times = []
    for j, s in enumerate(extra):
        t = time.perf_counter()
        cov.add(("new", j), s)
        times.append((time.perf_counter() - t) * 1000)
        cov.remove(("new", j))
    inc = statistics.median(times)
    full = median_ms(lambda: coverage_of(base + extra[:1]), 5)
    print(f"stroke added to a 500-stroke drawing: incremental median {inc:.3f} ms, "
          f"full recompute median {full:.1f} ms, ratio {full / inc:.0f}x "
          f"(targets: <= 1 ms, >= 20x)")


def bench_matcher() -> None:
    strokes = realistic_strokes(500, seed=2)
    doc = Document(list(strokes), {"age": 58, "worse_sitting": True, "duration_days": 20})
    cov = coverage_of(doc)
    a = assess(doc, coverage=cov)  # warm
    m = median_ms(lambda: assess(doc, coverage=cov), 1000)
    n = len(a.ranking)
    print(f"matcher (assessment from live coverage, 500 strokes, {n - 1} causes and 'other', "
          f"red-flag rules and screening): median {m:.3f} ms (target <= 1 ms; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def bench_cli() -> None:
    example = ROOT / "examples" / "sciatica.hipmap.json"
    exe = [sys.executable, "-m", "hipmap", "assess", str(example)]
    base = [sys.executable, "-c", "import shapely"]

    def proc(cmd):
        return lambda: subprocess.run(cmd, check=True, capture_output=True, env=user_env())

    proc(exe)()  # warm the file cache
    b = median_ms(proc(base), 9)
    a = median_ms(proc(exe), 9)
    print(f"'hipmap assess' process: median {a:.0f} ms vs 'python -c \"import shapely\"' "
          f"{b:.0f} ms, ratio {a / b:.2f}x (target <= 2x)")


if __name__ == "__main__":
    bench_incremental()
    bench_matcher()
    bench_cli()
