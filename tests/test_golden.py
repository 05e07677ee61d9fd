"""The command line says exactly what it said before issue 8's refactoring: the JSON of
``assess``, ``export --fhir``, ``causes`` and ``regions`` and the English text of ``assess``
and ``causes``, byte for byte, for every example and labelled case (tools/golden.py made the
reference from the code before the change)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import golden  # noqa: E402


def test_cli_output_is_unchanged_for_every_example_and_case():
    expected = golden.load()
    assert len(expected) >= 3 * 180  # every document, three outputs each
    found = golden.differences(expected, golden.outputs())
    assert not found, "\n".join(found[:20]) + (
        "\n(a change that is meant: python tools/golden.py, and say so in the commit)")


def test_the_examples_say_exactly_what_they_said():
    """The same check on the README's examples only (a second: mutation testing runs it)."""
    expected = golden.load()
    for path in sorted((ROOT / "examples").glob("*.hipmap.json")):
        name = path.relative_to(ROOT).as_posix()
        for kind, args in (("assess json", ["assess", str(path), "--format", "json"]),
                           ("assess text", ["assess", str(path), "--format", "text"]),
                           ("export fhir", ["export", str(path), "--fhir"])):
            assert golden.run(args) == expected[f"{kind} {name}"], f"{kind} {name}"
    for fmt in ("json", "text"):
        assert golden.run(["causes", "--format", fmt]) == expected[f"causes {fmt}"]
    for fmt in ("json", "geojson"):
        assert golden.run(["regions", "--format", fmt]) == expected[f"regions {fmt}"]
