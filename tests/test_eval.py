"""The evaluation (`make eval`) as tests: safety strictly for every labelled case, accuracy and
calibration only as regression floors.

The floors sit a few points under the figures measured on this branch with knowledge base
2026.12.0 and 180 cases (top-1 88 %, top-3 97 %, Brier 0.239; README "Evaluation"): they catch
a regression, they are not a target. Never change a knowledge-base number to lift them.
"""

from collections import Counter
from pathlib import Path

import pytest

from hipmap.core.document import load
from hipmap.core.ids import CAUSES, RED_FLAGS
from hipmap.knowledge.assessment import assess
from hipmap.knowledge.evaluate import evaluate, load_cases, summarise

ROOT = Path(__file__).parent / "cases"
CASES = load_cases(ROOT)
LITERATURE = [c for c in CASES if c.origin == "literature"]
TOP1_FLOOR, TOP3_FLOOR, BRIER_CEILING = 0.85, 0.94, 0.27


@pytest.fixture(scope="module")
def results():
    return evaluate(CASES, lambda p: assess(load(p)).to_json())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_safety_of_every_case(case):
    """Every expected red flag raised, the urgency at least what the guideline demands, no
    case above its `urgency_at_most`, no benign case sent to emergency."""
    (r,) = evaluate([case], lambda p: assess(load(p)).to_json())
    assert not r.failures, r.failures


def test_accuracy_and_calibration_do_not_regress(results):
    s = summarise(results)
    assert s.top1 >= TOP1_FLOOR, s.top1
    assert s.top3 >= TOP3_FLOOR, s.top3
    assert s.brier <= BRIER_CEILING, s.brier


def test_the_literature_cases_cover_every_cause_every_red_flag_and_benign_pictures():
    """Issue 7: >= 60 cases, >= 4 per cause (`other` included), >= 15 red-flag scenarios
    covering every flag, and benign cases that must not be over-triaged."""
    assert len(LITERATURE) >= 60
    per_cause = Counter(c.cause for c in LITERATURE if c.cause)
    assert all(per_cause[c] >= 4 for c in CAUSES), per_cause
    red = [c for c in LITERATURE if c.red_flags]
    assert len(red) >= 15
    assert {f for c in red for f in c.red_flags} == set(RED_FLAGS)
    assert sum(c.kind == "benign" and c.at_most is not None for c in LITERATURE) >= 5


def test_every_literature_case_cites_a_source():
    import json

    for c in LITERATURE:
        meta = json.loads(c.path.read_text())["x-case"]
        assert meta.get("sources") and all(s.get("citation") for s in meta["sources"]), c.name


def test_a_missed_flag_or_over_triage_is_reported(tmp_path):
    """The safety checks themselves can fail: a case demanding a flag its drawing does not
    raise, and a benign case demanding self-care while its screening is incomplete."""
    import json

    d = tmp_path / "literature"
    d.mkdir()
    base = {"format": "hipmap.drawing/1",
            "marks": [{"kind": "region", "region": "right.groin", "intensity": 5}],
            "answers": {"age": 30}}
    (d / "a.hipmap.json").write_text(json.dumps({
        **base, "x-case": {"kind": "red_flag"},
        "x-expect": {"red_flags": ["fracture"], "urgency_at_least": "emergency"}}))
    (d / "b.hipmap.json").write_text(json.dumps({
        **base, "x-case": {"kind": "benign"},
        "x-expect": {"urgency_at_most": "self_care", "red_flags": []}}))
    res = {r.case.name: r
           for r in evaluate(load_cases(tmp_path), lambda p: assess(load(p)).to_json())}
    assert any("fracture not raised" in f for f in res["a"].failures)
    assert any("below emergency" in f for f in res["a"].failures)
    assert any("above self_care" in f for f in res["b"].failures)
