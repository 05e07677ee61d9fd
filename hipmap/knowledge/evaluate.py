"""The evaluation behind ``make eval``: accuracy, calibration and safety over labelled cases.

Two kinds of case, both valid ``hipmap.drawing/1`` documents:

* the literature vignettes, ``tests/cases/literature/*.hipmap.json``, with ``x-case``
  (title, vignette, kind, sources) and ``x-expect`` (``cause``, ``urgency_at_least``,
  ``urgency_at_most``, ``red_flags``) — written from published sources, not from the
  knowledge base;
* the seed cases, ``tests/cases/*.hipmap.json`` (tools/make_cases.py), whose ``x-expect``
  says ``leading``, ``urgency`` (exact) and ``red_flags``.

Figures:

* top-1 / top-3: the labelled cause is first / among the first three of the ranking;
* calibration: the multi-class Brier score (mean over cases of Σ_c (score_c − y_c)², over
  every contract cause and ``other``; 0 is perfect, 2 the worst) and a reliability table
  (every case × cause score, by score band: mean score against the observed frequency);
* safety: every expected red flag raised, the urgency at least ``urgency_at_least``, no case
  above ``urgency_at_most``, no benign case sent to emergency, no red flag where the case
  says none may be raised.

Qt-free and independent of the knowledge base's internals, so tools/eval.py can run it
against an older engine to measure a change.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LADDER = ("self_care", "see_clinician", "urgent", "emergency")
#: Score bands of the reliability table: [lo, hi).
BANDS = ((0.0, 0.1), (0.1, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.0001))
#: Every cause id of the contract (sections 6 and 6b), for the Brier score.
CONTRACT_CAUSES = (
    "lumbar_radiculopathy", "lumbar_spinal_stenosis", "hip_osteoarthritis",
    "greater_trochanteric_pain_syndrome", "piriformis_syndrome",
    "proximal_hamstring_tendinopathy", "thigh_muscle_strain", "sacroiliac_joint_pain",
    "meralgia_paresthetica", "femoroacetabular_impingement", "adductor_related_groin_pain",
    "knee_osteoarthritis", "iliotibial_band_syndrome", "peripheral_arterial_disease", "other")


@dataclass
class Case:
    path: Path
    name: str
    origin: str  # "literature" or "seed"
    kind: str  # cause / red_flag / benign / outside_list / seed
    cause: str | None
    at_least: str | None
    at_most: str | None
    red_flags: list[str] | None  # None: not specified


@dataclass
class Result:
    case: Case
    ranking: list[tuple[str, float]]
    urgency: str
    flags: list[str]
    failures: list[str] = field(default_factory=list)  # safety failures

    @property
    def top1(self) -> bool:
        return bool(self.ranking) and self.ranking[0][0] == self.case.cause

    @property
    def top3(self) -> bool:
        return self.case.cause in [c for c, _ in self.ranking[:3]]


def load_cases(root: Path) -> list[Case]:
    """The literature cases under ``root/literature`` and the seed cases in ``root``."""
    cases = []
    for p in sorted((root / "literature").glob("*.hipmap.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        x, meta = d.get("x-expect", {}), d.get("x-case", {})
        cases.append(Case(p, p.name.removesuffix(".hipmap.json"), "literature",
                          str(meta.get("kind", "cause")), x.get("cause"),
                          x.get("urgency_at_least"), x.get("urgency_at_most"),
                          x.get("red_flags")))
    for p in sorted(root.glob("*.hipmap.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        x = d.get("x-expect", {})
        cases.append(Case(p, p.name.removesuffix(".hipmap.json"), "seed", "seed",
                          x.get("leading"), x.get("urgency"), x.get("urgency"),
                          x.get("red_flags", [])))
    return cases


def evaluate(cases: Iterable[Case], assess_path: Callable[[Path], dict[str, Any]]
             ) -> list[Result]:
    """Assess every case (``assess_path`` reads and assesses one file) and check safety."""
    out = []
    for case in cases:
        a = assess_path(case.path)
        r = Result(case, [(x["cause"], float(x["score"])) for x in a["ranking"]],
                   a["urgency"], sorted(f["id"] for f in a["red_flags"]))
        level = LADDER.index(r.urgency)
        for flag in case.red_flags or []:
            if flag not in r.flags:
                r.failures.append(f"red flag {flag} not raised (raised: {r.flags or 'none'})")
        if case.red_flags == [] and r.flags:
            r.failures.append(f"red flags raised where none may be: {r.flags}")
        if case.at_least and level < LADDER.index(case.at_least):
            r.failures.append(f"urgency {r.urgency} below {case.at_least}")
        if case.at_most and level > LADDER.index(case.at_most):
            r.failures.append(f"urgency {r.urgency} above {case.at_most}")
        if case.kind == "benign" and r.urgency == "emergency":
            r.failures.append("benign case sent to emergency")
        out.append(r)
    return out


@dataclass
class Summary:
    n_cases: int
    n_labelled: int
    top1: float
    top3: float
    brier: float
    reliability: list[tuple[str, int, float, float]]  # band, n, mean score, observed
    safety_checked: int
    safety_failures: int
    by_origin: dict[str, tuple[int, float, float]]  # origin -> (n labelled, top1, top3)
    hypotheses: int = len(CONTRACT_CAUSES)  # causes and `other` in the Brier score


def summarise(results: list[Result]) -> Summary:
    labelled = [r for r in results if r.case.cause]
    n = len(labelled)
    brier = 0.0
    pairs: list[tuple[float, int]] = []
    # every contract cause (one an older engine lacks scores 0) and every cause ranked (a
    # knowledge base may add causes)
    hypotheses = sorted(set(CONTRACT_CAUSES).union(*(dict(r.ranking) for r in labelled)))
    for r in labelled:
        scores = dict(r.ranking)
        for c in hypotheses:
            y = 1 if c == r.case.cause else 0
            s = scores.get(c, 0.0)
            brier += (s - y) ** 2
            pairs.append((s, y))
    table = []
    for lo, hi in BANDS:
        inside = [(s, y) for s, y in pairs if lo <= s < hi]
        label = f"{lo * 100:.0f}-{min(hi, 1.0) * 100:.0f} %"
        if inside:
            table.append((label, len(inside), sum(s for s, _ in inside) / len(inside),
                          sum(y for _, y in inside) / len(inside)))
        else:
            table.append((label, 0, float("nan"), float("nan")))
    by_origin = {}
    for origin in ("literature", "seed"):
        sub = [r for r in labelled if r.case.origin == origin]
        if sub:
            by_origin[origin] = (len(sub), sum(r.top1 for r in sub) / len(sub),
                                 sum(r.top3 for r in sub) / len(sub))
    checked = [r for r in results if r.case.red_flags is not None or r.case.at_least
               or r.case.at_most or r.case.kind == "benign"]
    return Summary(
        n_cases=len(results), n_labelled=n,
        top1=sum(r.top1 for r in labelled) / n if n else float("nan"),
        top3=sum(r.top3 for r in labelled) / n if n else float("nan"),
        brier=brier / n if n else float("nan"), reliability=table,
        safety_checked=len(checked),
        safety_failures=sum(1 for r in results if r.failures), by_origin=by_origin,
        hypotheses=len(hypotheses))


def report(results: list[Result], title: str = "hipmap evaluation") -> str:
    """The table ``make eval`` prints (Markdown, so the README can show it as is)."""
    s = summarise(results)
    lines = [f"## {title}", "",
             f"{s.n_cases} cases ({s.n_labelled} with a reference cause).", "",
             "| accuracy | cases | top-1 | top-3 |", "|---|---|---|---|",
             f"| all labelled | {s.n_labelled} | {_pc(s.top1)} | {_pc(s.top3)} |"]
    for origin, (n, t1, t3) in s.by_origin.items():
        lines.append(f"| {origin} | {n} | {_pc(t1)} | {_pc(t3)} |")
    lines += ["", f"Calibration: multi-class Brier score {s.brier:.3f} (0 perfect, 2 worst; "
              f"over {s.hypotheses} hypotheses incl. `other`).", "",
              "| score band | case×cause pairs | mean score | observed frequency |",
              "|---|---|---|---|"]
    for band, n, mean, obs in s.reliability:
        lines.append(f"| {band} | {n} | {_pc(mean)} | {_pc(obs)} |")
    lines += ["", f"Safety: {s.safety_checked - s.safety_failures} of {s.safety_checked} "
              "cases pass (every expected red flag raised at its urgency, nothing above "
              "`urgency_at_most`, no benign case sent to emergency).", ""]
    failing = [r for r in results if r.failures]
    missed = [r for r in results if r.case.cause and not r.top1]
    if failing:
        lines += ["Safety failures:", ""]
        for r in failing:
            lines.append(f"- `{r.case.name}` ({r.case.origin}): " + "; ".join(r.failures))
        lines.append("")
    if missed:
        lines += ["Accuracy misses (reference cause not ranked first):", ""]
        for r in missed:
            rank = next((i for i, (c, _) in enumerate(r.ranking, 1) if c == r.case.cause),
                        None)
            top = ", ".join(f"{c} {sc:.2f}" for c, sc in r.ranking[:3])
            lines.append(f"- `{r.case.name}`: {r.case.cause} ranked "
                         f"{rank if rank else 'absent'}; top 3: {top}")
        lines.append("")
    return "\n".join(lines)


def _pc(x: float) -> str:
    return "—" if x != x else f"{x * 100:.0f} %"  # NaN: no data
