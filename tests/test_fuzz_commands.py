"""A fuzz target per command (issue 9, build item 8): whatever the input — random JSON, odd
strings, huge numbers, mangled bytes of a real drawing — every command either succeeds with
a valid output or exits 2 with exactly one line; it never leaves anything else in the output
folder and never changes its input. In-process (``hipmap.cli.main``) for speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hipmap.cli import main
from hipmap.core.output import verify_json, verify_pdf, verify_png

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "sciatica.hipmap.json").read_bytes()

NASTY = ["", " ", "\x1b[2J", "P\x07", "\u202eP-1", "\ud800", "a\udfffb", "é", "\U0001F600",
         "x" * 300, "1e400", "NaN", "right.groin", "back", "sharp", "stroke", "region",
         "2026-11-25", "2026-11-25T10:30:00", "2026-W48-3", "yesterday"]
NUMBERS = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from([0, 10, 10.5, 200, 201, 1e308, -1e308, 10**40]))
scalars = st.one_of(st.none(), st.booleans(), NUMBERS, st.sampled_from(NASTY),
                    st.text(max_size=6))
values = st.recursive(scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=3), st.dictionaries(st.sampled_from([*NASTY, "id", "age"]), kids,
                                                max_size=3)), max_leaves=8)
point = st.one_of(st.tuples(st.floats(-50, 700), st.floats(-50, 1050)).map(list), values)
stroke = st.fixed_dictionaries({
    "kind": st.just("stroke"), "view": st.sampled_from(["front", "back", "left_side", "top"]),
    "width": st.one_of(st.floats(0.5, 60), values), "points": st.lists(point, max_size=5)},
    optional={"intensity": st.one_of(st.integers(-1, 11), values),
              "quality": st.one_of(st.sampled_from(["burning", "sharp", "itchy"]), values)})
region = st.fixed_dictionaries({
    "kind": st.just("region"),
    "region": st.sampled_from(["right.groin", "left.ischial", "left.plantar_foot", "x"])},
    optional={"intensity": st.one_of(st.integers(0, 10), values),
              "coverage": st.one_of(st.floats(-1, 2), values)})
documents = st.fixed_dictionaries(
    {"format": st.sampled_from(["hipmap.drawing/1", "hipmap.drawing/1.3", "hipmap.drawing/2"])},
    optional={"marks": st.one_of(st.lists(st.one_of(stroke, region, values), max_size=4),
                                 values),
              "answers": st.one_of(st.dictionaries(st.sampled_from(
                  ["age", "worse_sitting", "bowel_bladder", "duration_days", "nope"]),
                  st.one_of(st.booleans(), NUMBERS, values), max_size=3), values),
              "patient": st.one_of(st.fixed_dictionaries({}, optional={
                  "id": st.one_of(st.sampled_from(NASTY), values), "age": values,
                  "sex": values}), values),
              "recorded_at": st.one_of(st.sampled_from(NASTY), values),
              "kept": values})


def as_bytes(obj: object) -> bytes:
    # lone surrogates must reach the file as JSON escapes, as another program would write
    return json.dumps(obj, ensure_ascii=True).encode("ascii")


mangled = st.builds(
    lambda cut, flips: bytes(b ^ 0x20 if i in flips else b for i, b in enumerate(EXAMPLE[:cut])),
    st.integers(0, len(EXAMPLE)), st.sets(st.integers(0, len(EXAMPLE) - 1), max_size=3))
valid_stroke = st.fixed_dictionaries({
    "kind": st.just("stroke"), "view": st.sampled_from(["front", "back", "right_side"]),
    "width": st.floats(1, 60), "intensity": st.integers(0, 10),
    "points": st.lists(st.tuples(st.floats(0, 640), st.floats(0, 1000)).map(list),
                       min_size=1, max_size=30)})
valid_docs = st.fixed_dictionaries({
    "format": st.just("hipmap.drawing/1"),
    "marks": st.lists(st.one_of(valid_stroke, region.filter(
        lambda m: m["region"] != "x" and all(isinstance(m.get(k, 1), int | float)
                                             and not isinstance(m.get(k, 1), bool)
                                             and 0 <= m.get(k, 1) <= 1
                                             for k in ("coverage",)))), max_size=4),
    "answers": st.dictionaries(st.sampled_from(["worse_sitting", "bowel_bladder"]),
                               st.booleans(), max_size=2)},
    optional={"patient": st.fixed_dictionaries({"id": st.sampled_from(["P-1", "Q 2", "é"])}),
              "recorded_at": st.sampled_from(["2026-11-25", "2026-11-25T10:30:00+01:00"])})
inputs = st.one_of(documents.map(as_bytes), valid_docs.map(as_bytes), mangled)

COMMANDS = {
    "assess": (["assess", "{in}", "--format", "json"], None, None),
    "assess-text": (["assess", "{in}"], None, None),
    "export": (["export", "{in}", "--fhir", "-o", "{out}"], "out.json", verify_json),
    "render": (["render", "{in}", "-o", "{out}", "--view", "back"], "out.png", verify_png),
    "report": (["report", "{in}", "-o", "{out}"], "out.pdf", verify_pdf),
}
EXAMPLES = {"assess": 200, "assess-text": 60, "export": 60, "render": 25, "report": 12}


@pytest.mark.parametrize("command", [  # render and report draw with Qt (make test-core has none)
    pytest.param(c, marks=pytest.mark.gui) if c in ("render", "report") else c for c in COMMANDS])
def test_every_command_is_valid_or_exits_2_with_one_line(command, tmp_path_factory, capsys):
    args, out_name, verify = COMMANDS[command]
    seen: dict[int, int] = {}

    @settings(max_examples=EXAMPLES[command], deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(inputs)
    def run(data: bytes) -> None:
        folder = tmp_path_factory.mktemp(command)
        src = folder / "in.hipmap.json"
        src.write_bytes(data)
        out = folder / (out_name or "unused")
        code = main([a.format(**{"in": src, "out": out}) for a in args])
        captured = capsys.readouterr()
        event(f"exit {code}")
        seen[code] = seen.get(code, 0) + 1
        assert src.read_bytes() == data  # the input is never changed
        left = sorted(p.name for p in folder.iterdir())
        if code == 0:
            assert captured.err == ""
            if out_name:
                assert verify(out.read_bytes()) is None
                assert left == sorted(["in.hipmap.json", out_name])
            else:
                assert captured.out.strip()
                if "json" in args:
                    json.loads(captured.out)
                assert "\x1b" not in captured.out
        else:
            assert code == 2, captured.err
            assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
            assert "\x1b" not in captured.err
            assert left == ["in.hipmap.json"]  # nothing partial, no temporary file

    run()
    # both outcomes were exercised: some inputs are valid drawings, most are not
    assert seen.get(0, 0) >= 1 and seen.get(2, 0) >= 1, seen
    print(command, seen)
