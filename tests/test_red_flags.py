"""Red flags that see the drawing, and screening before reassurance (issue 7, contract 1.1 §3b).

Every rule of issue 7 fires on its scenario and stays silent on its near miss; an unanswered
question is never "yes" and never "no"; while the red-flag screening is incomplete no surface
gives a verdict of reassurance.
"""

import pytest

from hipmap.core.document import Document, RegionMark
from hipmap.core.ids import RED_FLAG_ANSWERS, RED_FLAGS, URGENCIES
from hipmap.knowledge.assessment import assess, headline, headline_detail, verdict_style
from hipmap.knowledge.base import KnowledgeError, load_knowledge
from hipmap.knowledge.rules import ConditionError, Situation, parse

KB = load_knowledge()
R, L = "right", "left"
NO_FLAGS = {a: a == "can_bear_weight" for a in RED_FLAG_ANSWERS}


def doc(regions=(), answers=None, quality=None, coverage=1.0, patient=None):
    return Document([RegionMark(r, 6, quality, coverage=coverage) for r in regions],
                    dict(answers or {}), patient=patient)


def flags(a):
    return {f.id: f.urgency for f in a.red_flags}


def level(a):
    return URGENCIES.index(a.urgency)


# (name, regions, quality, answers, flag, at least) and the near miss that must NOT raise it
SCENARIOS = [
    ("hip fracture: fall, groin, cannot bear weight",
     [f"{R}.groin"], "sharp", {"major_trauma": True, "can_bear_weight": False, "age": 40},
     "fracture", "emergency",
     ([f"{R}.groin"], "sharp", {"major_trauma": True, "can_bear_weight": True, "age": 40})),
    ("hip fracture: fall, outer hip, age 65 (may still walk)",
     [f"{L}.lateral_hip"], "dull_ache", {"major_trauma": True, "age": 65},
     "fracture", "emergency",
     ([f"{L}.lateral_hip"], "dull_ache", {"major_trauma": True, "age": 64})),
    ("hip fracture needs groin or outer hip: not for a fall with calf pain",
     [f"{R}.groin"], None, {"major_trauma": True, "age": 80}, "fracture", "emergency",
     ([f"{R}.posterior_leg"], None, {"major_trauma": True, "age": 80})),
    ("insufficiency fracture: osteoporosis, groin, cannot bear weight",
     [f"{R}.groin"], "sharp", {"osteoporosis": True, "can_bear_weight": False},
     "fracture", "urgent",
     ([f"{R}.groin"], "sharp", {"osteoporosis": True})),
    ("insufficiency fracture: long-term steroids",
     [f"{L}.groin"], None, {"long_term_steroids": True, "can_bear_weight": False},
     "fracture", "urgent",
     ([f"{L}.groin"], None, {"long_term_steroids": False, "can_bear_weight": False})),
    ("stress fracture: training rise, groin, night pain",
     [f"{R}.groin"], "dull_ache", {"training_increase": True, "night_pain": True},
     "fracture", "urgent",
     ([f"{R}.groin"], "dull_ache", {"training_increase": True, "night_pain": False})),
    ("stress fracture: training rise, groin, cannot bear weight",
     [f"{R}.groin"], None, {"training_increase": True, "can_bear_weight": False},
     "fracture", "urgent",
     ([f"{R}.posterior_leg"], None, {"training_increase": True, "can_bear_weight": False})),
    ("septic hip: fever with groin pain",
     [f"{L}.groin"], "sharp", {"fever_chills": True}, "infection_or_malignancy", "emergency",
     ([f"{L}.posterior_thigh"], "sharp", {"fever_chills": True})),
    ("spinal infection: fever, back pain, injects drugs",
     [f"{R}.lower_back"], None, {"fever_chills": True, "iv_drug_use": True},
     "infection_or_malignancy", "emergency",
     ([f"{R}.lower_back"], None, {"fever_chills": True, "iv_drug_use": False,
                                  "immunosuppressed": False})),
    ("spinal infection: fever, back pain, immunosuppressed",
     [f"{R}.sacroiliac"], None, {"fever_chills": True, "immunosuppressed": True},
     "infection_or_malignancy", "emergency",
     ([f"{R}.posterior_leg"], None, {"fever_chills": True, "immunosuppressed": True})),
    ("malignancy: cancer history with night pain",
     [f"{R}.posterior_thigh"], None, {"history_of_cancer": True, "night_pain": True},
     "infection_or_malignancy", "urgent",
     ([f"{R}.posterior_thigh"], None, {"history_of_cancer": False, "night_pain": True})),
    ("malignancy: age 50 with weight loss",
     [f"{R}.anterior_thigh"], None, {"weight_loss": True, "age": 50},
     "infection_or_malignancy", "urgent",
     ([f"{R}.anterior_thigh"], None, {"weight_loss": False, "age": 50})),
    ("cauda equina: saddle numbness",
     [f"{R}.buttock"], None, {"saddle_numbness": True}, "cauda_equina", "emergency",
     ([f"{R}.buttock"], None, {"saddle_numbness": False})),
    ("cauda equina: bladder or bowel",
     [f"{R}.buttock"], None, {"bowel_bladder": True}, "cauda_equina", "emergency",
     ([f"{R}.buttock"], None, {"bowel_bladder": False})),
    ("cauda equina: sexual dysfunction",
     [f"{R}.posterior_thigh"], None, {"sexual_dysfunction": True}, "cauda_equina",
     "emergency",
     ([f"{R}.posterior_thigh"], None, {"sexual_dysfunction": False})),
    ("cauda equina: weakness with pain in both legs",
     [f"{R}.lateral_leg", f"{L}.lateral_leg"], None, {"leg_weakness": True}, "cauda_equina",
     "emergency",
     ([f"{R}.lateral_leg"], None, {"leg_weakness": True})),
    ("bilateral sciatica: shooting pain below both knees",
     [f"{R}.lateral_leg", f"{L}.posterior_leg"], "shooting", {}, "cauda_equina", "urgent",
     ([f"{R}.lateral_leg", f"{R}.posterior_leg"], "shooting", {})),
    ("bilateral sciatica: leg pain worse than back, below both knees",
     [f"{R}.medial_leg", f"{L}.medial_leg"], "dull_ache", {"leg_pain_worse_than_back": True},
     "cauda_equina", "urgent",
     ([f"{R}.medial_leg", f"{L}.medial_leg"], "dull_ache", {"leg_pain_worse_than_back": False})),
    ("DVT: swollen calf after surgery",
     [f"{R}.posterior_leg"], None, {"calf_swelling": True, "recent_immobility_or_surgery": True},
     "deep_vein_thrombosis", "urgent",
     ([f"{R}.posterior_leg"], None, {"calf_swelling": True,
                                     "recent_immobility_or_surgery": False})),
    ("blood thinners with a fall",
     [f"{R}.anterior_thigh"], None, {"anticoagulants": True, "major_trauma": True},
     "anticoagulant_bleed", "urgent",
     ([f"{R}.anterior_thigh"], None, {"anticoagulants": True, "major_trauma": False})),
    ("blood thinners with leg weakness",
     [f"{R}.groin"], None, {"anticoagulants": True, "leg_weakness": True},
     "anticoagulant_bleed", "emergency",
     ([f"{R}.groin"], None, {"anticoagulants": False, "leg_weakness": True})),
    ("foot drop", [f"{R}.lateral_leg"], None, {"leg_weakness": True}, "acute_nerve_deficit",
     "emergency", ([f"{R}.lateral_leg"], None, {"leg_weakness": False})),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_each_rule_fires_on_its_scenario_and_not_on_its_near_miss(scenario):
    _name, regions, quality, answers, flag, at_least, near = scenario
    a = assess(doc(regions, answers, quality))
    assert flag in flags(a), a.red_flags
    assert URGENCIES.index(flags(a)[flag]) >= URGENCIES.index(at_least)
    assert level(a) >= URGENCIES.index(at_least)
    n_regions, n_quality, n_answers = near
    b = assess(doc(n_regions, n_answers, n_quality))
    assert URGENCIES.index(flags(b).get(flag, "self_care")) < URGENCIES.index(at_least), \
        b.red_flags


def test_every_red_flag_id_has_a_rule_and_every_rule_a_source():
    assert {r.flag for r in KB.red_flag_rules} == set(RED_FLAGS)
    for r in [*KB.red_flag_rules, *KB.screens]:
        assert r.source and all(s in KB.sources for s in r.source)


def test_a_missing_answer_is_never_yes_and_never_no():
    # "cannot bear weight" is the answer NO: an unanswered question must not stand for it
    fall = {"major_trauma": True, "age": 40}
    assert flags(assess(doc([f"{R}.groin"], fall))).get("fracture") == "urgent"
    assert flags(assess(doc([f"{R}.groin"], {**fall, "can_bear_weight": False})))[
        "fracture"] == "emergency"
    # an unknown age is neither >= 65 nor < 65
    assert flags(assess(doc([f"{R}.groin"], {"major_trauma": True})))["fracture"] == "urgent"
    # and a "no" never fires a rule that needs a "yes" (cannot bear weight alone is no flag)
    assert assess(doc([f"{R}.groin"], {a: False for a in RED_FLAG_ANSWERS})).red_flags == ()


def test_all_red_flag_answers_no_raises_nothing_and_completes_the_screening():
    for regions in ([], [f"{R}.groin"], [f"{R}.posterior_leg", f"{L}.posterior_leg"],
                    [f"{R}.lower_back", f"{R}.lateral_hip"]):
        a = assess(doc(regions, {**NO_FLAGS, "age": 70}))
        assert a.red_flags == () and a.screening == "complete" and a.unscreened == ()


def test_the_painted_threshold_is_honoured_by_rules_and_matcher():
    t = KB.painted_threshold
    below = assess(doc([f"{L}.groin"], {"fever_chills": True}, coverage=t * 0.5))
    at = assess(doc([f"{L}.groin"], {"fever_chills": True}, coverage=t))
    assert flags(below)["infection_or_malignancy"] == "urgent"  # fever alone
    assert flags(at)["infection_or_malignancy"] == "emergency"  # fever + groin painted
    # the matcher: a graze below the threshold counts neither its region nor its quality
    def scores(a):
        return {r.cause: r.score for r in a.ranking}

    groin = assess(doc([f"{L}.groin"], {"age": 50}, coverage=t * 0.5, quality="burning"))
    thigh = assess(doc([f"{L}.lateral_thigh"], {"age": 50}, coverage=t * 0.5))
    assert groin.regions and scores(groin) == scores(thigh)
    painted = assess(doc([f"{L}.groin"], {"age": 50}, coverage=t, quality="burning"))
    assert scores(painted) != scores(thigh)


# ------------------------------------------------------------------ screening

def test_screening_is_incomplete_until_the_questions_that_matter_are_answered():
    a = assess(doc([f"{R}.groin"], {"age": 44}))
    assert a.screening == "incomplete" and a.unscreened
    assert set(a.unscreened) <= set(RED_FLAG_ANSWERS)
    # answering exactly the listed questions completes it
    b = assess(doc([f"{R}.groin"], {"age": 44, **{q: q == "can_bear_weight"
                                                  for q in a.unscreened}}))
    assert b.screening == "complete" and b.unscreened == ()


def test_both_legs_ask_the_cauda_equina_questions_first():
    a = assess(doc([f"{R}.posterior_thigh", f"{L}.posterior_thigh"]))
    assert list(a.unscreened[:4]) == ["bowel_bladder", "saddle_numbness", "sexual_dysfunction",
                                   "leg_weakness"]
    # one leg: the cauda equina items still come first (radicular drawing), but leg weakness
    # is not pulled ahead of them by a bilateral screen
    one = assess(doc([f"{R}.groin", f"{R}.anterior_thigh"], {"age": 30}))
    assert "sexual_dysfunction" not in one.unscreened
    # the same thigh regions: one leg does not bring the bilateral (cauda equina) screen,
    # both legs do, and put its questions ahead of leg weakness
    thigh = assess(doc([f"{R}.lateral_thigh", f"{R}.anterior_thigh"], {"age": 30}))
    assert "sexual_dysfunction" not in thigh.unscreened
    both = assess(doc([f"{R}.lateral_thigh", f"{L}.lateral_thigh"], {"age": 30}))
    assert list(both.unscreened[:4]) == ["bowel_bladder", "saddle_numbness",
                                         "sexual_dysfunction", "leg_weakness"]


def test_an_older_adult_with_groin_pain_is_asked_about_a_fall_and_weight_bearing_first():
    a = assess(doc([f"{L}.groin"], {"age": 78}))
    assert list(a.unscreened[:4]) == ["major_trauma", "can_bear_weight", "osteoporosis",
                                   "long_term_steroids"]
    young = assess(doc([f"{L}.groin"], {"age": 30}))
    assert "osteoporosis" not in young.unscreened
    unknown_age = assess(doc([f"{L}.groin"]))  # an unknown age counts as older: ask
    assert list(unknown_age.unscreened[:2]) == ["major_trauma", "can_bear_weight"]


@pytest.mark.parametrize("regions, answers, expected", [
    ([f"{R}.groin"], {"fever_chills": True, "age": 30}, ["immunosuppressed", "iv_drug_use"]),
    ([f"{R}.posterior_leg"], {"age": 30}, ["calf_swelling", "recent_immobility_or_surgery"]),
    ([f"{R}.groin"], {"after_specific_activity": True, "age": 25},
     ["training_increase", "night_pain", "can_bear_weight"]),
    ([f"{R}.lateral_hip"], {"history_of_cancer": True, "age": 40}, ["night_pain"]),
])
def test_the_context_adds_its_own_red_flag_questions(regions, answers, expected):
    a = assess(doc(regions, answers))
    for q in expected:
        assert q in a.unscreened, a.unscreened


def test_ask_next_shows_the_unscreened_red_flag_questions_before_any_other():
    a = assess(doc([f"{R}.posterior_thigh"], {"age": 40}))
    qs = a.next_questions
    n = len(a.unscreened)
    assert [q.answer for q in qs[:n]] == list(a.unscreened)
    assert all(q.kind == "red_flag" for q in qs[:n])
    assert all(q.kind == "separates" for q in qs[n:]) and qs[n:]


# ------------------------------------------------------------------ no reassurance before screening

def test_one_stroke_down_the_leg_is_not_reassured_while_screening_is_incomplete():
    """Issue 7: one stroke down the back of the leg turned the verdict to self-care."""
    a = assess(doc([f"{R}.posterior_thigh"], {"duration_days": 3, "age": 35}))
    assert a.urgency == "see_clinician" and a.screening == "incomplete"
    assert any("Red-flag screening is incomplete" in r for r in a.urgency_reasons)
    assert headline(a) == "Red-flag screening incomplete"
    assert verdict_style(a) == "neutral"
    assert "Ask about: bladder or bowel control" in headline_detail(a)
    assert "self-care" not in (headline(a) + headline_detail(a)).lower()
    done = assess(doc([f"{R}.posterior_thigh"], {"duration_days": 3, "age": 35, **NO_FLAGS}))
    assert done.urgency == "self_care" and verdict_style(done) == "self_care"
    assert headline_detail(done) == ""


def test_a_red_flag_wins_over_incomplete_screening():
    a = assess(doc([f"{R}.groin"], {"fever_chills": True}))
    assert a.screening == "incomplete"
    assert a.urgency == "emergency" and headline(a).startswith("EMERGENCY")
    assert verdict_style(a) == "emergency"


def test_the_text_report_never_says_self_care_while_screening_is_incomplete():
    from hipmap.report.text import assessment_text

    d = doc([f"{R}.posterior_thigh"], {"age": 44})
    text = assessment_text(d, assess(d))
    head = [ln for ln in text.splitlines() if ln.strip()][:6]
    assert "URGENCY: Red-flag screening incomplete" in head
    assert not any("self-care" in ln.lower() for ln in head)
    assert "Ask about:" in text


# ------------------------------------------------------------------ the rule language

@pytest.mark.parametrize("text, situation, expected", [
    ("fever_chills", {"fever_chills": True}, True),
    ("fever_chills", {"fever_chills": False}, False),
    ("fever_chills", {}, None),
    ("can_bear_weight = no", {"can_bear_weight": False}, True),
    ("can_bear_weight = no", {"can_bear_weight": True}, False),
    ("can_bear_weight = no", {}, None),
    ("age >= 65", {"age": 65}, True),
    ("age >= 65", {"age": 64.9}, False),
    ("age >= 65", {}, None),
    ("duration_days < 42", {"duration_days": 41}, True),
])
def test_conditions_are_three_valued(text, situation, expected):
    assert parse(text).evaluate(Situation(situation, {}, frozenset())) is expected


def test_drawing_conditions_read_the_sides_and_groups():
    both_groins = Situation({}, {"groin": frozenset({"right", "left"})}, frozenset())
    assert parse("bilateral: below_knee").evaluate(both_groins) is False
    assert parse("painted: hip").evaluate(both_groins) is True
    legs = Situation({}, {"lateral_leg": frozenset({"right"}),
                          "posterior_leg": frozenset({"left"})}, frozenset({"shooting"}))
    assert parse("bilateral: below_knee").evaluate(legs) is True
    assert parse("quality: shooting, burning").evaluate(legs) is True
    assert parse("quality: numbness").evaluate(legs) is False


@pytest.mark.parametrize("bad", ["no_such_answer", "age = yes", "fever_chills >= 3",
                                 "painted: elbow", "quality: itchy", "sides: groin", ""])
def test_a_bad_condition_is_refused(bad):
    with pytest.raises(ConditionError):
        parse(bad)


def test_a_broken_rule_file_is_refused_with_its_path(tmp_path):
    import shutil

    from hipmap.knowledge.base import knowledge_dir

    root = tmp_path / "kb"
    shutil.copytree(knowledge_dir(), root)
    (root / "compiled.json").unlink()
    f = root / "red_flags.toml"
    f.write_text(f.read_text().replace('"painted: groin, lateral_hip"', '"painted: elbow"', 1))
    with pytest.raises(KnowledgeError, match=r"red_flags.toml \[\[rule\]\] #\d+: all: .*elbow"):
        load_knowledge(str(root))


# --------------------------------------------- the loaded rules keep what the file says (mutants)

def _red_flags_toml():
    import tomllib

    from hipmap.knowledge.base import knowledge_dir

    return tomllib.loads((knowledge_dir() / "red_flags.toml").read_text(encoding="utf-8"))


def test_every_red_flag_rule_keeps_the_urgency_its_file_gives():
    kb = load_knowledge()
    wanted = [(r["flag"], r["urgency"]) for r in _red_flags_toml()["rule"]]
    assert [(r.flag, r.urgency) for r in kb.red_flag_rules] == wanted
    assert {u for _f, u in wanted} <= set(URGENCIES)


def test_every_screening_question_keeps_its_reason_why():
    kb = load_knowledge()
    screens = _red_flags_toml().get("screen", [])
    assert screens and [s.why for s in kb.screens] == [str(s.get("why", "")) for s in screens]
    assert any(s.why for s in kb.screens)  # the clinician is told why a question is asked


def _situation(**answers):
    return Situation(answers=answers, sides={}, qualities=frozenset())


def test_any_of_is_false_when_every_alternative_is_known_false():
    from hipmap.knowledge.rules import any_of

    conds = (parse("worse_sitting"), parse("worse_lying_on_side"))
    assert any_of(conds, _situation(worse_sitting=False, worse_lying_on_side=False)) is False
    assert any_of(conds, _situation(worse_sitting=False)) is None  # one still unanswered
    assert any_of(conds, _situation(worse_lying_on_side=True)) is True


@pytest.mark.parametrize("text", ["", "   ", None, 3])
def test_an_empty_or_non_text_condition_is_refused_by_name(text):
    with pytest.raises(ConditionError, match="non-empty string"):
        parse(text)


def test_a_painted_condition_is_described_by_its_own_regions_only():
    from hipmap.knowledge.texts import region_name

    words = parse("painted: groin").describe()
    assert region_name("groin") in words
    assert region_name("buttock") not in words and region_name("lateral_hip") not in words


def test_a_screening_question_without_a_reason_shows_no_placeholder(tmp_path):
    import re
    import shutil

    from hipmap.knowledge.base import knowledge_dir

    folder = tmp_path / "kb"
    shutil.copytree(knowledge_dir(), folder)
    path = folder / "red_flags.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(\[\[screen\]\](?:\n(?!why =).*)*)\nwhy = ".*"', r"\1", text,
                           count=1), encoding="utf-8")
    first = load_knowledge(str(folder)).screens[0]
    assert first.why == ""  # shown as no reason, never as "None"


def test_an_unknown_answer_in_a_condition_is_named():
    with pytest.raises(ConditionError) as err:
        parse("worse_when_dancing = yes")
    assert "worse_when_dancing" in str(err.value)
