"""Run every benchmark in this folder (``make bench``)."""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for script in sorted(HERE.glob("bench_*.py")):
    if len(sys.argv) > 1 and not any(a in script.name for a in sys.argv[1:]):
        continue
    print(f"== {script.name}")
    sys.stdout.flush()
    runpy.run_path(str(script), run_name="__main__")
