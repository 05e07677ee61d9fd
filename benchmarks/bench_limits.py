"""Worst cases the loader accepts (issue 9, finding 6): time and peak memory of every command.

Each command runs in its own child process (as a user runs it); its peak resident memory is
the child's own ``ru_maxrss`` (``os.wait4``). The baseline, measured in the same run, is the
same command on the bundled sciatica example. Targets: ``assess`` ≤ 2 s, ``render``,
``report`` and ``export`` ≤ 5 s, each ≤ 500 MB. No pass/fail: the README records the figures.

    python benchmarks/bench_limits.py [--quick]   (--quick: only the cheapest case)
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _env import user_env  # noqa: E402

TARGET_S = {"assess": 2.0, "render": 5.0, "report": 5.0, "export": 5.0}
TARGET_MB = 500


def _doc(marks: list[dict], **extra: object) -> dict:
    return {"format": "hipmap.drawing/1", "marks": marks, **extra}


def worst_cases() -> dict[str, dict]:
    rnd = random.Random(9)
    cases: dict[str, dict] = {}
    # 5000 strokes x 40 points at the widest brush, all over the back view
    marks = []
    for _ in range(5000):
        x0, y0 = rnd.uniform(100, 550), rnd.uniform(50, 950)
        marks.append({"kind": "stroke", "view": "back", "width": 200, "intensity": 7,
                      "points": [[round(x0 + rnd.uniform(-60, 60), 1),
                                  round(y0 + rnd.uniform(-60, 60), 1)] for _ in range(40)]})
    cases["5000 strokes x 40 points, width 200"] = _doc(marks)
    # 10 strokes of 20 000 random points each (a random walk over the whole view)
    cases["10 strokes x 20k random points"] = _doc([
        {"kind": "stroke", "view": rnd.choice(["front", "back"]), "width": rnd.choice([8, 40]),
         "points": [[round(rnd.uniform(0, 640), 1), round(rnd.uniform(0, 1000), 1)]
                    for _ in range(20_000)]} for _ in range(10)])
    # one 20 000-point jittery scribble (self-crossing everywhere)
    pts, x, y = [], 300.0, 500.0
    for _ in range(20_000):
        x = min(560, max(60, x + rnd.uniform(-9, 9)))
        y = min(950, max(50, y + rnd.uniform(-9, 9)))
        pts.append([round(x, 1), round(y, 1)])
    cases["a 20k-point scribble"] = _doc([{"kind": "stroke", "view": "back", "width": 24,
                                           "points": pts}])
    cases["a 1 MB patient id"] = _doc(
        [{"kind": "region", "region": "right.groin"}], patient={"id": "P" * 1_000_000})
    # the worst the limits accept: realistic strokes up to the detail limit ...
    from bench_core import realistic_strokes

    from hipmap.core.document import Document
    from hipmap.geometry.coverage import MAX_DETAIL_POINTS, _centre_line

    strokes, detail = [], 0
    for s in realistic_strokes(3000, seed=4):
        detail += len(_centre_line(s.points, s.width))
        if detail > MAX_DETAIL_POINTS * 0.98:
            break
        strokes.append(s)
    cases[f"{len(strokes)} hand-drawn strokes (detail limit)"] = Document(
        marks=strokes).to_json()
    # ... and wide, jittery strokes up to the ink limit
    from hipmap.core.document import MAX_INK, loads, stroke_ink

    wide, ink = [], 0.0
    while True:
        x, y, pts = rnd.uniform(150, 450), rnd.uniform(200, 800), []
        for _ in range(40):
            x, y = x + rnd.uniform(-10, 10), y + rnd.uniform(-10, 10)
            pts.append([round(x, 1), round(y, 1)])
        m = {"kind": "stroke", "view": "back", "width": 200, "points": pts, "intensity": 6}
        ink += stroke_ink(loads(json.dumps(_doc([m]))).marks[0])
        if ink > MAX_INK * 0.98:
            break
        wide.append(m)
    cases[f"{len(wide)} jittery strokes 200 wide (ink limit)"] = _doc(wide)
    return cases


#: Runs hipmap's command line and, at exit, writes the process's own peak resident memory
#: to a pipe: /proc's VmHWM on Linux (ru_maxrss would also count the parent's pages the child
#: had between fork and exec), ru_maxrss elsewhere.
_CHILD = """
import atexit, os, sys
def _peak():
    kb = None
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                kb = int(line.split()[1])
    except OSError:
        import resource
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kb = kb // 1024 if sys.platform == "darwin" else kb
    os.write(int(os.environ["HIPMAP_PEAK_FD"]), str(kb).encode())
atexit.register(_peak)
from hipmap.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def run(args: list[str]) -> tuple[float, float, int, str]:
    """Wall time (s), peak RSS (MB), exit code, stderr of one child process."""
    r, w = os.pipe()
    env = user_env(QT_QPA_PLATFORM="offscreen", HIPMAP_PEAK_FD=str(w))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT, pass_fds=(w,))
    os.close(w)
    err = proc.stderr.read().decode("utf-8", "replace")  # type: ignore[union-attr]
    proc.wait()
    elapsed = time.perf_counter() - t0
    with os.fdopen(r, "rb") as fh:
        peak = fh.read().decode() or "0"
    return elapsed, int(peak) / 1024, proc.returncode, err.strip()


def commands(doc: Path, out: Path) -> dict[str, list[str]]:
    return {
        "assess": ["assess", str(doc), "--format", "json"],
        "render": ["render", str(doc), "-o", str(out / "r.png")],
        "report": ["report", str(doc), "-o", str(out / "r.pdf")],
        "export": ["export", str(doc), "--fhir", "-o", str(out / "r.json")],
    }


def main() -> int:
    quick = "--quick" in sys.argv
    print("hipmap worst cases: each command in its own process; time and peak RSS (MB)")
    with tempfile.TemporaryDirectory(prefix="hipmap-bench-limits-") as tmp:
        tmp_path = Path(tmp)
        base = commands(ROOT / "examples" / "sciatica.hipmap.json", tmp_path)
        baseline = {name: run(args) for name, args in base.items()}
        print(f"{'case':<40} {'command':<8} {'time':>8} {'x base':>7} {'peak MB':>8}  target")
        for name, (t, mb, code, _err) in baseline.items():
            print(f"{'baseline: examples/sciatica':<40} {name:<8} {t:7.2f}s {'1.0':>7} "
                  f"{mb:8.0f}  exit {code}")
        cases = worst_cases()
        if quick:
            cases = dict(list(cases.items())[-1:])
        for label, obj in cases.items():
            doc = tmp_path / "case.hipmap.json"
            doc.write_text(json.dumps(obj))
            for name, args in commands(doc, tmp_path).items():
                t, mb, code, err = run(args)
                ok = t <= TARGET_S[name] and mb <= TARGET_MB
                note = "ok" if ok else "OVER"
                if code:
                    note += f" (exit {code}: {err.rsplit(': ', 1)[-1][:60]})"
                print(f"{label:<40} {name:<8} {t:7.2f}s {t / baseline[name][0]:7.1f} "
                      f"{mb:8.0f}  ≤{TARGET_S[name]:.0f} s: {note}", flush=True)
        # the largest render the command line accepts, and the one it refuses
        ex = ROOT / "examples" / "sciatica.hipmap.json"
        for scale in ("2.1", "8"):
            t, mb, code, err = run(["render", str(ex), "-o", str(tmp_path / "s.png"),
                                    "--scale", scale])
            note = "ok" if t <= 5 and mb <= TARGET_MB else "OVER"
            if code:
                note += f" (exit {code}: {err.split('; ')[-1][:60]})"
            print(f"{'render --scale ' + scale + ', all four views':<40} {'render':<8} "
                  f"{t:7.2f}s {t / baseline['render'][0]:7.1f} {mb:8.0f}  ≤5 s: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
