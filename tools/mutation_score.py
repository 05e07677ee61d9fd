"""The mutation score of the last ``make mutation`` run, per package and in all.

Reads mutmut's result files (``mutants/**/*.py.meta``). A mutant counts as killed when a test
failed (or timed out) with it; survived, untested ("no tests": no test reaches the mutated
function) and suspicious mutants all count against the score — nothing is left out of the
denominator but mutants mutmut itself skipped.

    python tools/mutation_score.py            # the table
    python tools/mutation_score.py --min 85   # exit 1 below 85 % killed
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test, pytest's internal error, timeouts
SKIPPED = {34}
UNTESTED = {5, 33}
SURVIVED = {0}


def results(root: Path = ROOT) -> dict[str, Counter[str]]:
    """package ('hipmap.core') -> Counter of killed / survived / untested / other."""
    out: dict[str, Counter[str]] = {}
    for meta in sorted((root / "mutants").rglob("*.py.meta")):
        rel = meta.relative_to(root / "mutants").as_posix().removesuffix(".py.meta")
        package = ".".join(rel.split("/")[:2])
        data = json.loads(meta.read_text(encoding="utf-8"))
        counts = out.setdefault(package, Counter())
        for code in data.get("exit_code_by_key", {}).values():
            counts[_kind(code)] += 1
    return out


def _kind(code: int | None) -> str:
    if code is None:
        return "not run"
    if code in KILLED:
        return "killed"
    if code in SURVIVED:
        return "survived"
    if code in UNTESTED:
        return "untested"
    if code in SKIPPED:
        return "skipped"
    return "other"


def score(c: Counter[str]) -> float:
    considered = sum(c.values()) - c["skipped"]
    return 100.0 * c["killed"] / considered if considered else float("nan")


def table(by_package: dict[str, Counter[str]]) -> str:
    rows = ["| package | mutants | killed | survived | untested | other | score |",
            "|---|---|---|---|---|---|---|"]
    total: Counter[str] = Counter()
    for package, c in sorted(by_package.items()):
        total += c
        rows.append(_row(package, c))
    rows.append(_row("**all**", total))
    return "\n".join(rows)


def _row(name: str, c: Counter[str]) -> str:
    other = c["other"] + c["not run"]
    return (f"| {name} | {sum(c.values()) - c['skipped']} | {c['killed']} | {c['survived']} | "
            f"{c['untested']} | {other} | {score(c):.1f} % |")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--min", type=float, default=None, help="fail below this score (percent)")
    args = p.parse_args(argv)
    by_package = results()
    if not by_package:
        print("no mutation results: run make mutation", file=sys.stderr)
        return 1
    print(table(by_package))
    total = sum(by_package.values(), Counter())
    if args.min is not None and score(total) < args.min:
        print(f"mutation score {score(total):.1f} % is below {args.min:g} %", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
