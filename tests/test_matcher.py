"""The matcher's promises: explainable, calibrated, unanswered changes nothing, sourced."""

import math

import pytest

from hipmap.core.document import Document, RegionMark
from hipmap.core.ids import ANSWERS, BASE_REGIONS, OTHER, RED_FLAG_ANSWERS
from hipmap.knowledge.assessment import assess, headline
from hipmap.knowledge.base import load_knowledge
from hipmap.knowledge.matcher import priors
from hipmap.knowledge.red_flags import red_flags, urgency

KB = load_knowledge()


def doc(regions=(), answers=None, quality=None):
    return Document([RegionMark(r, 6, quality) for r in regions], dict(answers or {}))


def scores(a):
    return {r.cause: r.score for r in a.ranking}


#: Every red-flag question answered with its reassuring answer (the leg CAN bear weight).
NO_FLAGS = {a: a == "can_bear_weight" for a in RED_FLAG_ANSWERS}


def test_ranking_lists_every_cause_once_with_scores_that_sum_to_one():
    a = assess(doc(["right.posterior_thigh"]))
    assert sorted(r.cause for r in a.ranking) == sorted([*KB.causes, OTHER])
    assert math.fsum(r.score for r in a.ranking) == pytest.approx(1.0, abs=1e-3)
    assert all(0 <= r.score <= 1 for r in a.ranking)
    s = [r.score for r in a.ranking]
    assert s == sorted(s, reverse=True)


def test_empty_drawing_with_no_answers_is_the_prior():
    a = assess(doc())
    total = sum(c.prior.value for c in KB.causes.values())
    for cid, s in scores(a).items():
        expected = KB.other.prior if cid == OTHER else \
            KB.causes[cid].prior.value / total * (1 - KB.other.prior)
        assert s == pytest.approx(expected, abs=1e-4)
        assert priors(KB)[cid] == pytest.approx(expected)


@pytest.mark.parametrize("answer", [a for a in ANSWERS if a not in RED_FLAG_ANSWERS])
def test_an_unanswered_question_changes_nothing_but_answering_it_may(answer):
    other = "worse_sitting" if answer != "worse_sitting" else "morning_stiffness"
    known = {other: True}
    base = doc(["left.groin", "left.anterior_thigh"], known)
    same = doc(["left.groin", "left.anterior_thigh"], {**known, answer: None})
    assert scores(assess(base)) == scores(assess(same))


def test_each_evidence_item_names_a_factor_a_signed_effect_a_sentence_and_sources():
    a = assess(doc(["right.lateral_hip", "right.lateral_thigh"], {"worse_lying_on_side": True},
                   quality="dull_ache"))
    top = a.ranking[0]
    assert top.cause == "greater_trochanteric_pain_syndrome"
    factors = {e.factor for e in top.evidence}
    assert "answer:worse_lying_on_side=yes" in factors
    assert "region:right.lateral_hip" in factors
    for e in top.evidence:
        assert isinstance(e.effect, float) and e.effect != 0
        assert e.text[0].isupper() and e.text.endswith(".")
        assert e.sources and all(s in KB.sources for s in e.sources)
    lying = next(e for e in top.evidence if e.factor == "answer:worse_lying_on_side=yes")
    assert lying.effect > 0 and "fits" in lying.text


def test_the_seeds_distinctions_move_the_ranking_the_right_way():
    buttock = ["right.buttock", "right.posterior_thigh"]
    sitting = scores(assess(doc(buttock, {"worse_sitting": True})))
    standing = scores(assess(doc(buttock, {"worse_standing_walking": True,
                                           "relieved_sitting_bending_forward": True})))
    assert sitting["piriformis_syndrome"] > standing["piriformis_syndrome"]
    assert standing["lumbar_spinal_stenosis"] > sitting["lumbar_spinal_stenosis"]
    # piriformis usually stops above the knee; radicular pain goes past it
    above = scores(assess(doc(buttock)))
    below = scores(assess(doc([*buttock, "right.posterior_leg", "right.lateral_leg"])))
    assert below["lumbar_radiculopathy"] / below["piriformis_syndrome"] > \
        above["lumbar_radiculopathy"] / above["piriformis_syndrome"]
    # shooting pain points to the nerve; a dull ache to muscle
    shoot = scores(assess(doc(["left.posterior_thigh"], quality="shooting")))
    ache = scores(assess(doc(["left.posterior_thigh"], quality="dull_ache")))
    assert shoot["lumbar_radiculopathy"] > ache["lumbar_radiculopathy"]
    assert ache["thigh_muscle_strain"] > shoot["thigh_muscle_strain"]


def test_bilateral_pain_favours_stenosis():
    one = scores(assess(doc(["right.buttock", "right.posterior_thigh"])))
    both = scores(assess(doc(["right.buttock", "right.posterior_thigh",
                              "left.buttock", "left.posterior_thigh"])))
    assert both["lumbar_spinal_stenosis"] > one["lumbar_spinal_stenosis"]


def test_next_questions_are_unanswered_and_separate_the_leading_causes():
    a = assess(doc(["right.buttock", "right.posterior_thigh"], {"age": 45, **NO_FLAGS}))
    qs = [q.answer for q in a.next_questions]
    assert qs and "age" not in qs and len(qs) == len(set(qs))
    assert not set(qs) & set(RED_FLAG_ANSWERS)  # screened: only separating questions left
    assert {q.kind for q in a.next_questions} == {"separates"}
    top2 = [KB.causes[r.cause] for r in a.ranking[:2]]
    first = qs[0]
    swing = [abs(math.log(c.answers[first].lr_yes / c.answers[first].lr_no))
             if first in c.answers else 0 for c in top2]
    assert max(swing) > 0.5  # the first question really moves one of the leaders
    answered = assess(doc(["right.buttock", "right.posterior_thigh"],
                          {"age": 45, **NO_FLAGS, first: True}))
    assert first not in [q.answer for q in answered.next_questions]


def test_pain_in_both_legs_asks_about_cauda_equina_first():
    legs = [f"{s}.posterior_leg" for s in ("right", "left")]
    a = assess(doc(legs))
    assert [q.answer for q in a.next_questions[:4]] == [
        "bowel_bladder", "saddle_numbness", "sexual_dysfunction", "leg_weakness"]
    b = assess(doc(legs, {"bowel_bladder": False, "saddle_numbness": False}))
    assert b.next_questions[0].answer == "sexual_dysfunction"


# ------------------------------------------------------------------ red flags

@pytest.mark.parametrize("answers, flag, level", [
    ({"bowel_bladder": True}, "cauda_equina", "emergency"),
    ({"saddle_numbness": True}, "cauda_equina", "emergency"),
    ({"leg_weakness": True}, "acute_nerve_deficit", "emergency"),
    # fever with outer-hip pain: septic arthritis until proven otherwise (BSR/BHPR)
    ({"fever_chills": True}, "infection_or_malignancy", "emergency"),
    ({"weight_loss": True}, "infection_or_malignancy", "urgent"),
    ({"history_of_cancer": True}, "infection_or_malignancy", "urgent"),
    ({"major_trauma": True}, "fracture", "urgent"),
    ({"major_trauma": True, "can_bear_weight": False}, "fracture", "emergency"),
    ({"calf_swelling": True, "recent_immobility_or_surgery": True}, "deep_vein_thrombosis",
     "urgent"),
    ({"fever_chills": True, "leg_weakness": True}, "infection_or_malignancy", "emergency"),
    ({"history_of_cancer": True, "bowel_bladder": True}, "infection_or_malignancy", "emergency"),
    ({"anticoagulants": True, "leg_weakness": True}, "anticoagulant_bleed", "emergency"),
])
def test_red_flags_override_whatever_the_ranking_says(answers, flag, level):
    # the strongest benign picture we can draw: a classic trochanteric bursitis
    benign = {"worse_lying_on_side": True, "tender_lateral_hip": True, "duration_days": 3}
    a = assess(doc(["right.lateral_hip"], {**benign, **answers}))
    assert a.ranking[0].cause == "greater_trochanteric_pain_syndrome"
    ids = {f.id: f for f in a.red_flags}
    assert flag in ids and ids[flag].urgency == level
    assert a.urgency == level
    assert ids[flag].message and ids[flag].action


def test_a_no_or_unanswered_red_flag_raises_nothing():
    assert red_flags({a: False for a in RED_FLAG_ANSWERS}) == []
    assert red_flags({}) == []
    assert red_flags({"anticoagulants": True}) == []  # blood thinners alone are not a flag


@pytest.mark.parametrize("answers, level", [
    ({}, "self_care"),
    ({"duration_days": 14}, "self_care"),
    ({"duration_days": 15}, "see_clinician"),
    ({"worsening": True}, "see_clinician"),
    ({"disturbs_sleep": True}, "see_clinician"),
    ({"limits_daily_activities": True}, "see_clinician"),
    ({"worsening": False, "disturbs_sleep": False}, "self_care"),
])
def test_the_seeds_reasons_to_consult(answers, level):
    """With the red-flag screening complete, the seed's rules decide."""
    assert urgency(answers, [], unscreened=())[0] == level
    # while screening is incomplete, never self-care
    assert urgency(answers, [], unscreened=("bowel_bladder",))[0] == "see_clinician"


# ------------------------------------------------------------------ knowledge base

def test_every_number_cites_a_known_source_and_states_its_basis():
    for c in KB.causes.values():
        items = [c.prior, *c.territory.values(), *c.answers.values(), *c.qualities.values(),
                 *c.patterns.values()]
        for it in items:
            assert it.basis in ("measured", "derived", "estimate")
            assert it.source and all(s in KB.sources for s in it.source), (c.id, it)
            assert it.note.strip(), (c.id, it)
        assert set(c.territory) == set(BASE_REGIONS)
    for rule in KB.red_flag_rules:
        assert rule.source and all(s in KB.sources for s in rule.source)


def test_unverified_sources_are_marked_and_their_figures_say_so():
    unverified = set(KB.unverified_sources())
    assert unverified  # sources.toml marks several UNVERIFIED
    for c in KB.causes.values():
        for it in [*c.territory.values(), *c.answers.values()]:
            if set(it.source) <= unverified:
                assert "UNVERIFIED" in it.note.upper() or it.basis == "estimate", (c.id, it)


def test_compiled_knowledge_cache_matches_the_toml_files():
    """compiled.json only speeds start-up; it must be regenerated when a TOML file changes
    (python -m hipmap.knowledge.base). A stale cache is ignored by the loader."""
    import json

    from hipmap.knowledge import base

    root = base.knowledge_dir()
    data = json.loads((root / base.COMPILED).read_text())
    assert data["digest"] == base._digest(root, base._files(root)), \
        "run: python -m hipmap.knowledge.base"


def test_a_broken_knowledge_file_is_refused_with_its_path_and_key(tmp_path):
    import shutil

    from hipmap.knowledge.base import KnowledgeError, knowledge_dir, load_knowledge

    root = tmp_path / "kb"
    shutil.copytree(knowledge_dir(), root)
    (root / "compiled.json").unlink()
    f = root / "causes" / "piriformis_syndrome.toml"
    f.write_text(f.read_text().replace('[territory.groin]\np = 0.03', '[territory.groin]\np = 1.5'))
    with pytest.raises(KnowledgeError, match=r"piriformis_syndrome.toml \[territory.groin\]"):
        load_knowledge(str(root))


def test_an_empty_drawing_says_nothing_is_recorded_rather_than_giving_a_verdict():
    a = assess(doc())
    assert a.urgency == "see_clinician" and a.screening == "incomplete"
    assert "Nothing has been painted or answered yet" in a.urgency_reasons[0]
    assert a.nothing_recorded and headline(a) == "Nothing recorded yet"
    b = assess(doc(["right.groin"]))
    assert not b.nothing_recorded and headline(b) == "Red-flag screening incomplete"
    assert b.urgency == "see_clinician"
    c = assess(doc(["right.groin"], {**NO_FLAGS, "age": 40}))
    assert "No red flag" in c.urgency_reasons[0]
    assert c.screening == "complete" and headline(c).startswith("Conservative self-care")


# ------------------------------------------------------------------ boundaries (issue 8)

def test_a_band_holds_its_lower_edge_and_not_its_upper_edge():
    """'from 50 below 60': 50 is in, 60 is the next band's (never both, never neither)."""
    from hipmap.knowledge.base import Band, NumberLR

    band = Band(50, 60, 2.0)
    assert band.contains(50) and band.contains(59.99)
    assert not band.contains(60) and not band.contains(49.99)
    assert Band(None, 50, 0.5).contains(-1) and not Band(None, 50, 0.5).contains(50)
    assert Band(60, None, 3.0).contains(60) and Band(60, None, 3.0).contains(130)
    spec = NumberLR("estimate", ("seed",), "", (Band(None, 50, 0.5), band, Band(60, None, 3.0)))
    assert spec.lr(50) == (2.0, band)
    assert spec.lr(60)[0] == 3.0 and spec.lr(49.5)[0] == 0.5
    assert band.describe() == "50 to under 60"


def test_every_age_band_of_the_knowledge_base_meets_the_next_one():
    """A value on a band edge is counted once: in the band that starts there."""
    for c in KB.causes.values():
        for aid, spec in c.answers.items():
            if not hasattr(spec, "bands"):
                continue
            for lo, hi in zip(spec.bands, spec.bands[1:], strict=False):
                if lo.hi is None or hi.lo is None:
                    continue
                edge = lo.hi
                assert spec.lr(edge)[1] is hi, (c.id, aid, edge)


def test_a_region_counts_as_painted_from_the_threshold_up():
    from hipmap.knowledge.matcher import features_from

    t = KB.painted_threshold
    d = Document([])
    assert features_from({"right.groin": (t, 5)}, d, KB).painted == {"groin"}
    assert features_from({"right.groin": (t * 0.99, 5)}, d, KB).painted == frozenset()
    assert features_from({"right.groin": (1.0, 0)}, d, KB).painted == frozenset()  # no pain
    f = features_from({"right.groin": (0.5, 5), "left.groin": (0.5, 5)}, d, KB)
    assert f.sides["groin"] == {"right", "left"}


def test_only_the_four_leading_causes_steer_the_next_questions():
    """The questions separate the (at most four) leading causes: whichever cause ranks fifth
    does not change them, however close its score."""
    from hipmap.knowledge.matcher import Features, Ranked, next_questions

    ids = list(KB.causes)
    feats = Features(painted=frozenset(), sides={}, qualities=frozenset(), answers={},
                     any_pain=True)
    lead = [Ranked(c, 0.18, math.log(0.18)) for c in ids[:4]]
    asked = set()
    for fifth in ids[4:]:  # every other cause in fifth place, close behind
        qs = next_questions([*lead, Ranked(fifth, 0.14, math.log(0.14))], feats, KB)
        asked.add(tuple(q.answer for q in qs))
    assert len(asked) == 1 and next(iter(asked))


def test_a_causes_rank_is_found_by_its_id():
    a = assess(doc(["right.lateral_hip"], {"age": 60}))
    second = a.ranking[1]
    assert a.ranked(second.cause) == (2, second)
    assert a.ranked("no_such_cause") is None


def test_area_pain_json_keeps_half_points_and_four_decimals():
    from hipmap.knowledge.assessment import AreaPain

    out = AreaPain("right.groin", 0.123456, 6.5).to_json()
    assert out == {"id": "right.groin", "coverage": 0.1235, "intensity": 6.5}
    assert AreaPain("right.groin", 1.0, 7.0).to_json()["intensity"] == 7  # a whole number


def test_compiled_knowledge_is_written_in_a_stable_line_by_line_form(tmp_path):
    """compiled.json is committed: its keys are sorted and it has one value per line, so
    reordering a TOML table changes nothing and a changed figure is a one-line diff."""
    import json
    import shutil

    from hipmap.knowledge import base

    root = tmp_path / "kb"
    shutil.copytree(base.knowledge_dir(), root)
    out = base.compile_knowledge(root)

    def sorted_keys(pairs):
        keys = [k for k, _v in pairs]
        assert keys == sorted(keys)
        return dict(pairs)

    json.loads(out.read_text(encoding="utf-8"), object_pairs_hook=sorted_keys)
    before = out.read_text(encoding="utf-8").splitlines()
    f = root / "causes" / "hip_osteoarthritis.toml"
    f.write_text(f.read_text(encoding="utf-8").replace("lr_yes = 1.8", "lr_yes = 1.9", 1),
                 encoding="utf-8")
    after = base.compile_knowledge(root).read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 2  # the digest and the figure
    assert any("1.9" in b and "hip_osteoarthritis" not in b for _a, b in changed)


def test_a_fresh_compiled_knowledge_base_is_read_instead_of_the_toml_files(tmp_path,
                                                                           monkeypatch):
    """Start-up reads compiled.json (no TOML parsing) when it matches the files, and the
    TOML files when they changed since: a stale compiled file is never trusted."""
    import shutil

    from hipmap.knowledge import base

    root = tmp_path / "kb"
    shutil.copytree(base.knowledge_dir(), root)
    base.compile_knowledge(root)
    real_parse = base._parse_toml

    def no_toml(path):
        raise AssertionError(f"parsed {path} although compiled.json is fresh")

    monkeypatch.setattr(base, "_parse_toml", no_toml)
    kb = base.load_knowledge(str(root))
    assert kb.causes["hip_osteoarthritis"].answers["age"].bands[0].lr == 0.11
    assert list(kb.causes) == list(KB.causes)

    f = root / "causes" / "hip_osteoarthritis.toml"
    f.write_text(f.read_text(encoding="utf-8").replace("lr = 0.11", "lr = 0.12", 1),
                 encoding="utf-8")
    parsed = []
    monkeypatch.setattr(base, "_parse_toml", lambda p: parsed.append(p.name) or real_parse(p))
    base._parsed.clear()
    kb = base.load_knowledge(str(root) + "/")  # another key for the cache: loaded again
    assert kb.causes["hip_osteoarthritis"].answers["age"].bands[0].lr == 0.12
    assert "hip_osteoarthritis.toml" in parsed


def test_a_rare_remainder_says_so_in_its_base_rate_sentence(tmp_path):
    """With the bundled prior (0.10) `other` is as common as a common listed cause; a
    knowledge base that makes it rare must say that instead, not the same sentence."""
    import shutil

    from hipmap.knowledge import base

    root = tmp_path / "kb"
    shutil.copytree(base.knowledge_dir(), root)
    (root / "compiled.json").unlink()
    model = root / "model.toml"
    model.write_text(model.read_text(encoding="utf-8").replace(
        "[other]\nprior = 0.10", "[other]\nprior = 0.005", 1), encoding="utf-8")
    rare = base.load_knowledge(str(root))

    def base_rate(kb) -> list[str]:
        other = next(r for r in assess(doc(["right.groin"]), kb=kb).ranking
                     if r.cause == OTHER)
        return [e.text for e in other.evidence if e.factor == "base_rate"]

    assert base_rate(rare) == ["Causes outside the list are uncommon."]
    assert base_rate(KB) == ["Taken together, the causes outside the list are about as "
                             "common as one of the more common listed causes."]
