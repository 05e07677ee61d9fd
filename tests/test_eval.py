"""The evaluation (`make eval`) as tests: safety strictly for every labelled case, accuracy and
calibration only as regression floors.

The floors sit a few points under the figures measured on this branch with knowledge base
2026.12.0 and 180 cases (top-1 88 %, top-3 97 %, Brier 0.239; README "Evaluation"): they catch
a regression, they are not a target. Never change a knowledge-base number to lift them.
"""

import json
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


# ------------------------------------------------------------------ the figures themselves

def _synthetic():
    """Three cases with made-up assessments whose figures are worked out by hand."""
    from hipmap.knowledge.evaluate import Case

    a = Case(Path("a"), "a", "literature", "cause", "ca", None, None, [])
    b = Case(Path("b"), "b", "literature", "red_flag", "cb", "urgent", None, ["fracture"])
    c = Case(Path("c"), "c", "seed", "benign", None, None, "self_care", [])
    out = {
        Path("a"): {"ranking": [{"cause": "ca", "score": 0.6}, {"cause": "cb", "score": 0.3},
                                {"cause": "other", "score": 0.1}],
                    "urgency": "see_clinician", "red_flags": []},
        Path("b"): {"ranking": [{"cause": "ca", "score": 0.5}, {"cause": "cc", "score": 0.3},
                                {"cause": "cb", "score": 0.2}],
                    "urgency": "see_clinician", "red_flags": [{"id": "dvt"}]},
        Path("c"): {"ranking": [{"cause": "ca", "score": 1.0}], "urgency": "emergency",
                    "red_flags": [{"id": "fracture"}]},
    }
    return evaluate([a, b, c], out.__getitem__)


def test_the_figures_are_worked_out_as_documented():
    results = _synthetic()
    ra, rb, rc = results
    assert ra.top1 and ra.top3 and not rb.top1 and rb.top3 and not rc.top1
    assert ra.failures == []
    assert rb.failures == ["red flag fracture not raised (raised: ['dvt'])",
                           "urgency see_clinician below urgent"]
    assert rc.failures == ["red flags raised where none may be: ['fracture']",
                           "urgency emergency above self_care", "benign case sent to emergency"]
    s = summarise(results)
    assert (s.n_cases, s.n_labelled) == (3, 2)
    assert (s.top1, s.top3) == (0.5, 1.0)
    # A: (0.6-1)² + 0.3² + 0.1² = 0.26; B: 0.5² + 0.3² + (0.2-1)² = 0.98; mean 0.62
    assert s.brier == pytest.approx(0.62)
    assert s.hypotheses == len(CAUSES) + 3  # the contract's, and ca, cb, cc
    bands = {label: (n, mean, obs) for label, n, mean, obs in s.reliability}
    assert bands["0-10 %"][0] == 2 * (s.hypotheses - 3) and bands["0-10 %"][2] == 0
    assert bands["10-30 %"] == (2, pytest.approx(0.15), 0.5)
    assert bands["30-50 %"] == (2, pytest.approx(0.3), 0.0)
    assert bands["50-70 %"] == (2, pytest.approx(0.55), 0.5)
    assert bands["70-90 %"][0] == 0 and bands["90-100 %"][0] == 0
    assert (s.safety_checked, s.safety_failures) == (3, 2)
    assert s.by_origin == {"literature": (2, 0.5, 1.0)}


def test_the_report_reads_as_the_readme_shows_it():
    from hipmap.knowledge.evaluate import report

    text = report(_synthetic(), title="test")
    n = len(CAUSES) + 3
    assert text.splitlines()[:8] == [
        "## test", "", "3 cases (2 with a reference cause).", "",
        "| accuracy | cases | top-1 | top-3 |", "|---|---|---|---|",
        "| all labelled | 2 | 50 % | 100 % |", "| literature | 2 | 50 % | 100 % |"]
    assert (f"Calibration: multi-class Brier score 0.620 (0 perfect, 2 worst; over {n} "
            "hypotheses incl. `other`).") in text
    assert "| 10-30 % | 2 | 15 % | 50 % |" in text and "| 70-90 % | 0 | — | — |" in text
    assert "Safety: 1 of 3 cases pass" in text
    assert "- `b` (literature): red flag fracture not raised (raised: ['dvt']); urgency " \
           "see_clinician below urgent" in text
    assert "- `b`: cb ranked 3; top 3: ca 0.50, cc 0.30, cb 0.20" in text


def test_a_benign_case_counts_in_the_safety_check():
    """A benign case states no red flags nor urgency bounds: it is still checked (never sent
    to emergency), so the safety line counts it."""
    from hipmap.knowledge.evaluate import Case

    calm = Case(Path("d"), "d", "literature", "benign", None, None, None, None)
    out = {"ranking": [{"cause": "other", "score": 1.0}], "urgency": "emergency",
           "red_flags": []}
    s = summarise(evaluate([calm], lambda _p: out))
    assert (s.safety_checked, s.safety_failures) == (1, 1)


def test_load_cases_reads_the_label_and_the_seed_cases_expectations(tmp_path):
    (tmp_path / "literature").mkdir()
    lit = {"format": "hipmap.drawing/1", "x-case": {"kind": "cause"},
           "x-expect": {"cause": "hip_osteoarthritis"}}
    (tmp_path / "literature" / "lit1.hipmap.json").write_text(json.dumps(lit))
    seed = {"format": "hipmap.drawing/1", "x-expect": {"leading": "greater_trochanteric_pain"}}
    (tmp_path / "seed1.hipmap.json").write_text(json.dumps(seed))
    a, b = load_cases(tmp_path)
    assert (a.name, a.origin, a.cause, a.red_flags) == ("lit1", "literature",
                                                        "hip_osteoarthritis", None)
    # a seed case that lists no red flags expects none
    assert (b.name, b.origin, b.cause, b.red_flags) == ("seed1", "seed",
                                                        "greater_trochanteric_pain", [])


def test_the_whole_report_is_exactly_the_markdown_make_eval_prints():
    from hipmap.knowledge.evaluate import report

    n = len(CAUSES) + 3
    assert report(_synthetic(), title="test") == "\n".join([
        "## test", "", "3 cases (2 with a reference cause).", "",
        "| accuracy | cases | top-1 | top-3 |", "|---|---|---|---|",
        "| all labelled | 2 | 50 % | 100 % |", "| literature | 2 | 50 % | 100 % |", "",
        f"Calibration: multi-class Brier score 0.620 (0 perfect, 2 worst; over {n} hypotheses "
        "incl. `other`).", "",
        "| score band | case×cause pairs | mean score | observed frequency |",
        "|---|---|---|---|",
        f"| 0-10 % | {3 * n - 24} | 0 % | 0 % |", "| 10-30 % | 2 | 15 % | 50 % |",
        "| 30-50 % | 2 | 30 % | 0 % |", "| 50-70 % | 2 | 55 % | 50 % |",
        "| 70-90 % | 0 | — | — |", "| 90-100 % | 0 | — | — |", "",
        "Safety: 1 of 3 cases pass (every expected red flag raised at its urgency, nothing "
        "above `urgency_at_most`, no benign case sent to emergency).", "",
        "Safety failures:", "",
        "- `b` (literature): red flag fracture not raised (raised: ['dvt']); urgency "
        "see_clinician below urgent",
        "- `c` (seed): red flags raised where none may be: ['fracture']; urgency emergency "
        "above self_care; benign case sent to emergency", "",
        "Accuracy misses (reference cause not ranked first):", "",
        "- `b`: cb ranked 3; top 3: ca 0.50, cc 0.30, cb 0.20", ""])


def test_load_cases_reads_the_urgency_bounds_of_both_kinds_of_case(tmp_path):
    (tmp_path / "literature").mkdir()
    lit = {"format": "hipmap.drawing/1", "x-case": {"kind": "benign"},
           "x-expect": {"urgency_at_least": "see_clinician", "urgency_at_most": "urgent",
                        "red_flags": ["dvt"]}}
    (tmp_path / "literature" / "lit2.hipmap.json").write_text(json.dumps(lit))
    seed = {"format": "hipmap.drawing/1", "x-expect": {"urgency": "urgent"}}
    (tmp_path / "seed2.hipmap.json").write_text(json.dumps(seed))
    a, b = load_cases(tmp_path)
    assert (a.kind, a.cause, a.at_least, a.at_most, a.red_flags) == (
        "benign", None, "see_clinician", "urgent", ["dvt"])
    assert (b.kind, b.at_least, b.at_most) == ("seed", "urgent", "urgent")


def test_a_case_without_a_kind_is_a_cause_case_and_every_case_keeps_its_file(tmp_path):
    (tmp_path / "literature").mkdir()
    lit = tmp_path / "literature" / "lit3.hipmap.json"
    lit.write_text(json.dumps({"format": "hipmap.drawing/1", "x-expect": {"cause": "x"}}))
    seed = tmp_path / "seed3.hipmap.json"
    seed.write_text(json.dumps({"format": "hipmap.drawing/1"}))
    a, b = load_cases(tmp_path)
    assert (a.kind, a.path, b.path) == ("cause", lit, seed)
