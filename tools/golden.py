"""The command line's output for every example and labelled case, kept to catch a change.

    python tools/golden.py            # rewrite tests/golden/cli_output.json.xz from this code
    python tools/golden.py --check    # exit 1, naming what differs, when the output changed

For every ``examples/*.hipmap.json`` and ``tests/cases/**/*.hipmap.json``: the exact text of
``hipmap assess --format json``, ``hipmap assess --format text`` and ``hipmap export --fhir``;
plus ``hipmap causes`` (json and text) and ``hipmap regions`` (json and geojson). Only the
public command line is called, so the same script runs against an older hipmap (put its
source first on ``PYTHONPATH``) to make the reference a refactoring must reproduce byte for
byte (tests/test_golden.py). Rewrite the file only for a change that is meant — a new
knowledge-base figure, a reworded sentence — and say so in the commit.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import lzma
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "cli_output.json.xz"


def documents(root: Path = ROOT) -> list[Path]:
    return sorted([*root.glob("examples/*.hipmap.json"),
                   *root.glob("tests/cases/**/*.hipmap.json")])


def run(args: list[str]) -> str:
    """stdout of ``hipmap ARGS``; a non-zero exit is recorded in the text."""
    from hipmap.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--lang", "en", *args] if _has_lang() else args)
    return out.getvalue() if code == 0 else f"<exit {code}>\n{out.getvalue()}{err.getvalue()}"


def _has_lang() -> bool:
    """English whatever the machine's language (an older hipmap has no --lang)."""
    import hipmap.cli

    return hasattr(hipmap.cli, "LANG_HELP")


def outputs(root: Path = ROOT) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in documents(root):
        name = path.relative_to(root).as_posix()
        out[f"assess json {name}"] = run(["assess", str(path), "--format", "json"])
        out[f"assess text {name}"] = run(["assess", str(path), "--format", "text"])
        out[f"export fhir {name}"] = run(["export", str(path), "--fhir"])
    for fmt in ("json", "text"):
        out[f"causes {fmt}"] = run(["causes", "--format", fmt])
    for fmt in ("json", "geojson"):
        out[f"regions {fmt}"] = run(["regions", "--format", fmt])
    return out


def load(path: Path = GOLDEN) -> dict[str, str]:
    return json.loads(lzma.decompress(path.read_bytes()).decode("utf-8"))


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    found = [f"missing: {k}" for k in sorted(expected.keys() - actual.keys())]
    found += [f"new: {k}" for k in sorted(actual.keys() - expected.keys())]
    for key in sorted(expected.keys() & actual.keys()):
        if expected[key] != actual[key]:
            a, b = expected[key], actual[key]
            i = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                     min(len(a), len(b)))
            found.append(f"changed: {key} at character {i}: {a[max(0, i - 40):i + 40]!r} -> "
                         f"{b[max(0, i - 40):i + 40]!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="compare instead of writing")
    p.add_argument("--output", type=Path, default=GOLDEN)
    args = p.parse_args(argv)
    actual = outputs()
    if args.check:
        found = differences(load(args.output), actual)
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(actual, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
    args.output.write_bytes(lzma.compress(data, preset=9 | lzma.PRESET_EXTREME))
    print(f"{args.output.relative_to(ROOT)}: {len(actual)} outputs, "
          f"{args.output.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
