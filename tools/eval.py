"""``make eval``: accuracy, calibration and safety of hipmap over the labelled cases.

    .venv/bin/python tools/eval.py                      # this tree's engine and knowledge base
    .venv/bin/python tools/eval.py --engine DIR         # another checkout's engine (its own
                                                        # assets), e.g. to measure a change
    .venv/bin/python tools/eval.py --kb DIR             # another knowledge-base folder
    .venv/bin/python tools/eval.py --json               # the summary as JSON

The evaluation itself is hipmap/knowledge/evaluate.py (of THIS tree, whichever engine runs).
Exit 0 when every case passes the safety checks, 1 otherwise (accuracy never fails the run).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", type=Path, help="a hipmap source tree to evaluate instead")
    ap.add_argument("--kb", type=Path, help="a knowledge-base folder to use")
    ap.add_argument("--cases", type=Path, default=ROOT / "tests" / "cases")
    ap.add_argument("--title", default="hipmap evaluation")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str((args.engine or ROOT).resolve()))
    from hipmap.core.document import load
    from hipmap.knowledge.assessment import assess
    from hipmap.knowledge.base import load_knowledge

    spec = importlib.util.spec_from_file_location(
        "hipmap_evaluate", ROOT / "hipmap" / "knowledge" / "evaluate.py")
    ev = importlib.util.module_from_spec(spec)
    sys.modules["hipmap_evaluate"] = ev
    spec.loader.exec_module(ev)

    kb = load_knowledge(str(args.kb) if args.kb else None)
    results = ev.evaluate(ev.load_cases(args.cases), lambda p: assess(load(p), kb=kb).to_json())
    if args.json:
        s = ev.summarise(results)
        print(json.dumps(dataclasses.asdict(s), indent=1))
    else:
        print(ev.report(results, f"{args.title} (knowledge base {kb.version}, "
                                 f"{len(kb.causes)} cause files)"))
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
