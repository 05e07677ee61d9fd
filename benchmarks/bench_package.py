"""Packaging benchmark: bundle size, compressed size, frozen vs venv start-up. Prints only.

    python packaging/build.py                      # first: dist/hipmap/ and the tarball
    .venv-build/bin/python benchmarks/bench_package.py [--runs 7]

Start-up is measured as whole processes (wall clock, median of --runs), the frozen
``dist/hipmap/hipmap`` against the ``hipmap`` console script of the Python running this file
(same code, same versions), on: ``--version`` (interpreter start + argument parsing),
``assess`` (numpy, shapely, the atlas and knowledge base) and ``--self-test`` (Qt, the main
window, a stroke, a PNG; only when ``hipmap --help`` lists it). Targets (Linux): bundle
<= 150 MB on disk, <= 60 MB to download. The download is the ``.tar.xz`` that build.py made
(xz -9e); the same bundle as ``.tar.gz -9`` is made here for comparison (what releases
shipped before).
"""

from __future__ import annotations

import argparse
import ast
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _env import user_env

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
EXAMPLE = ROOT / "examples" / "sciatica.hipmap.json"


def tree_size(path: Path) -> tuple[int, int, int]:
    """(apparent bytes, bytes on disk, files)."""
    apparent = disk = files = 0
    for p in path.rglob("*"):
        if p.is_symlink() or not p.is_file():
            continue
        st = p.stat()
        apparent += st.st_size
        disk += getattr(st, "st_blocks", (st.st_size + 4095) // 4096 * 8) * 512
        files += 1
    return apparent, disk, files


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def largest_parts(bundle: Path, n: int = 10) -> list[tuple[str, int]]:
    internal = bundle / "_internal"
    base = internal if internal.is_dir() else bundle
    parts: dict[str, int] = {}
    for p in base.rglob("*"):
        if p.is_file() and not p.is_symlink():
            rel = p.relative_to(base).parts
            key = "/".join(rel[:3]) if rel[0] == "PySide6" and len(rel) > 3 else rel[0]
            parts[key] = parts.get(key, 0) + p.stat().st_size
    return sorted(parts.items(), key=lambda kv: -kv[1])[:n]


def spec_excludes() -> list[str]:
    tree = ast.parse((ROOT / "packaging" / "hipmap.spec").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "EXCLUDES":
            return list(ast.literal_eval(node.value))
    return []


def time_runs(cmd: list[str], runs: int, env: dict[str, str]) -> list[float] | None:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                           cwd=ROOT)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            print(f"   ! {' '.join(cmd)} exited {r.returncode}: "
                  f"{r.stderr.decode(errors='replace').strip()[:200]}")
            return None
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--bundle", type=Path, default=DIST / "hipmap")
    args = ap.parse_args()
    exe_name = "hipmapc.exe" if sys.platform == "win32" else "hipmap"
    frozen = args.bundle / exe_name
    venv_script = Path(sys.executable).parent / ("hipmap.exe" if sys.platform == "win32"
                                                 else "hipmap")
    if not frozen.is_file():
        print(f"no bundle at {frozen}: run `python packaging/build.py` first")
        return 0

    print(f"bundle: {args.bundle}")
    apparent, disk, files = tree_size(args.bundle)
    print(f"  size on disk       {mb(disk)}  (apparent {mb(apparent)}, {files} files; "
          f"target <= 150 MB)")
    print("  largest parts:")
    for name, size in largest_parts(args.bundle):
        print(f"    {mb(size):>9}  {name}")
    print("  excluded Python packages/modules (packaging/hipmap.spec EXCLUDES):")
    ex = spec_excludes()
    print("    " + ", ".join(ex))
    print("  also dropped (packaging/bundle_rules.py, the spec): Qt plugins for QML, SQL, TLS,")
    print("    network information, EGL/linuxfb/VNC/Vulkan platforms and the eglfs libraries,")
    print("    evdev input, GTK3 theme, raster formats other than svg/ico/icns, all Qt")
    print("    translations, pyqtgraph's mascot pictures, libcups and the libraries only those")
    print("    needed; ICU data beyond root/en/es (Linux); debug info stripped from libpython")

    tarballs = sorted(DIST.glob("hipmap-*-linux-*.tar.xz"))
    if tarballs:
        tb = tarballs[-1]
        print(f"  download           {mb(tb.stat().st_size)}  ({tb.name}, xz -9e; "
              f"target <= 60 MB)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bundle.tar.gz"
        with tarfile.open(out, "w:gz", compresslevel=9) as tar:
            tar.add(args.bundle, arcname="hipmap")
        print(f"  as .tar.gz -9      {mb(out.stat().st_size)}  (made just now, for comparison)")

    env = user_env(QT_QPA_PLATFORM="offscreen")
    help_text = subprocess.run([str(frozen), "--help"], capture_output=True, text=True,
                               env=env).stdout
    cases = [("--version", ["--version"]),
             ("assess (json)", ["assess", str(EXAMPLE), "--format", "json"])]
    if "--self-test" in help_text:
        cases.append(("--self-test", ["--self-test"]))
    print(f"\nstart-up, wall clock, median of {args.runs} runs (frozen vs {venv_script}):")
    print(f"  {'command':<16} {'frozen':>9} {'venv':>9} {'frozen/venv':>12}")
    for label, argv in cases:
        runs = max(3, args.runs // 2) if label == "--self-test" else args.runs
        # one warm-up run each, so both read from the page cache
        time_runs([str(frozen), *argv], 1, env)
        time_runs([str(venv_script), *argv], 1, env)
        f = time_runs([str(frozen), *argv], runs, env)
        v = time_runs([str(venv_script), *argv], runs, env)
        if f is None or v is None:
            continue
        fm, vm = statistics.median(f), statistics.median(v)
        print(f"  {label:<16} {fm * 1000:>7.0f} ms {vm * 1000:>6.0f} ms {fm / vm:>11.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
