"""The knowledge base refuses a broken file with one message naming the file, the table and
what is wrong (every number cites a source and stays inside model.toml's bounds). Each case
breaks one thing in a copy of the bundled knowledge folder."""

from __future__ import annotations

import shutil

import pytest

from hipmap.core.ids import OTHER
from hipmap.knowledge.base import KnowledgeError, knowledge_dir, load_knowledge

C = "causes/hip_osteoarthritis.toml"

CASES = [
    ('model.toml', 'region_exponent = 0.5',
     'region_exponent = 2',
     'KB/model.toml: region_exponent must be a number in [0.05, 1.0], got 2'),
    ('model.toml', 'unpainted_exponent = 0.15',
     'unpainted_exponent = -1',
     'KB/model.toml: unpainted_exponent must be a number in [0.0, 1.0], got -1'),
    ('model.toml', 'painted_threshold = 0.05',
     'painted_threshold = "x"',
     "KB/model.toml: painted_threshold must be a number in [0.0, 1.0], got 'x'"),
    ('model.toml', 'p_min = 0.01',
     'p_min = 0.6',
     'KB/model.toml: p_min must be a number in [0.0, 0.5], got 0.6'),
    ('model.toml', 'p_max = 0.99',
     'p_max = 0.4',
     'KB/model.toml: p_max must be a number in [0.5, 1.0], got 0.4'),
    ('model.toml', 'lr_min = 0.05',
     'lr_min = 2',
     'KB/model.toml: lr_min must be a number in [0.0, 1.0], got 2'),
    ('model.toml', 'lr_max = 20.0',
     'lr_max = 0.5',
     'KB/model.toml: lr_max must be a number in [1.0, 1000.0], got 0.5'),
    ('model.toml', '[other]\nprior = 0.10',
     '[other_x]\nprior = 0.10',
     'KB/model.toml [other]: the remainder hypothesis needs a table'),
    ('model.toml', '[other]\nprior = 0.10',
     '[other]\nprior = 0.9',
     'KB/model.toml [other]: prior must be a number in [0.001, 0.5], got 0.9'),
    ('model.toml', 'territory_p = 0.2',
     'territory_p = 1.5',
     'KB/model.toml [other]: territory_p must be a number in [0.01, 0.99], got 1.5'),
    ('model.toml', 'members = ["answer:straight_leg_raise_positive", "answer:slump_positive"]',
     'members = ["answer:slump_positive"]',
     'KB/model.toml [[group]] #3: members must list at least two features'),
    ('model.toml', 'members = ["answer:straight_leg_raise_positive", "answer:slump_positive"]',
     'members = ["answer:age", "answer:slump_positive"]',
     "KB/model.toml [[group]] #3: 'answer:age' is not 'answer:<yes/no id>' or 'quality:<id>'"),
    ('model.toml', 'members = ["answer:straight_leg_raise_positive", "answer:slump_positive"]',
     'members = ["quality:shooting", "answer:slump_positive"]',
     "KB/model.toml [[group]] #3: 'quality:shooting' is already in another group"),
    ('model.toml', 'members = ["answer:straight_leg_raise_positive", "answer:slump_positive"]',
     'members = ["quality:electric", "answer:slump_positive"]',
     "KB/model.toml [[group]] #3: 'quality:electric' is not 'answer:<yes/no id>' or 'quality:<id>'"),
    ('sources.toml', '[seed]\ncitation = ',
     '[seed]\nquote = ',
     'KB/sources.toml: [seed] needs a citation'),
    (C, 'id = "hip_osteoarthritis"',
     'id = "hip_oa"',
     "KB/causes/hip_osteoarthritis.toml: id must be 'hip_osteoarthritis'"),
    (C, 'plain_name = ',
     'plain_name = "" #',
     'KB/causes/hip_osteoarthritis.toml: plain_name is required'),
    (C, '[prior]\nvalue = 0.2',
     '[prior]\nvalue = 0.995',
     'KB/causes/hip_osteoarthritis.toml [prior]: value must be a number in [0.01, 0.99], got 0.995'),
    (C, '[prior]\nvalue = 0.2\nbasis = ',
     '[prior]\nvalue = 0.2\nbasis = "guess" #',
     "KB/causes/hip_osteoarthritis.toml [prior]: basis must be one of ('measured', 'derived', 'estimate'), got 'guess'"),
    (C, '[territory.groin]',
     '[territory.groyne]',
     "KB/causes/hip_osteoarthritis.toml: territory missing ['groin'] / unknown ['groyne']"),
    (C, '[answers.age]',
     '[answers.agee]',
     'KB/causes/hip_osteoarthritis.toml [answers.agee]: unknown answer id'),
    (C, '[answers.age]\nbands = [ { below = 60, lr = 0.11 }, { from = 60, lr = 1.7 } ]',
     '[answers.age]\nbands = []',
     'KB/causes/hip_osteoarthritis.toml [answers.age]: a numeric answer needs bands'),
    (C, '[answers.age]\nbands = [ { below = 60, lr = 0.11 }, { from = 60, lr = 1.7 } ]',
     '[answers.age]\nbands = [ { below = 60, lr = 0.01 } ]',
     'KB/causes/hip_osteoarthritis.toml [answers.age] band 0: lr must be a number in [0.05, 20.0], got 0.01'),
    (C, '[answers.morning_stiffness]',
     '[answers.fever_chills]',
     'KB/causes/hip_osteoarthritis.toml [answers.fever_chills]: red-flag answers are rules, not cause weights'),
    (C, 'short_name = "Hip OA"',
     'short_name = "Hip osteoarthritis, truly"',
     "KB/causes/hip_osteoarthritis.toml: short_name must be a string of 1 to 18 characters, got 'Hip osteoarthritis, truly'"),
    (C, 'color = "',
     'color = "#12345" #',
     "KB/causes/hip_osteoarthritis.toml: color must be '#rrggbb', got '#12345'"),
    (C, '[qualities.',
     '[qualities.electric]\nlr = 2\nbasis = "estimate"\nsource = ["seed"]\n\n[qualities.',
     'KB/causes/hip_osteoarthritis.toml [qualities.electric]: unknown quality'),
    (C, '[answers.morning_stiffness]',
     '[patterns.unilateral]\nlr = 2\nbasis = "estimate"\nsource = ["seed"]\n\n[answers.morning_stiffness]',
     "KB/causes/hip_osteoarthritis.toml [patterns.unilateral]: unknown pattern (known: ('bilateral',))"),
    (C, '[answers.morning_stiffness]',
     '[sex.other]\nlr = 2\nbasis = "estimate"\nsource = ["seed"]\n\n[answers.morning_stiffness]',
     "KB/causes/hip_osteoarthritis.toml [sex.other]: unknown sex (known: ('female', 'male'))"),
    (C, '[answers.morning_stiffness]\nlr_yes = ',
     '[answers.morning_stiffness]\nlr_yes = 25 #',
     'KB/causes/hip_osteoarthritis.toml [answers.morning_stiffness]: lr_yes must be a number in [0.05, 20.0], got 25'),
    (C, '[prior]\nvalue = 0.2\nbasis = "estimate"\nsource = ',
     '[prior]\nvalue = 0.2\nbasis = "estimate"\nsource = ["nobody2020"] #',
     "KB/causes/hip_osteoarthritis.toml [prior]: sources ['nobody2020'] are not in sources.toml"),
    (C, '[prior]\nvalue = 0.2\nbasis = "estimate"\nsource = ',
     '[prior]\nvalue = 0.2\nbasis = "estimate"\nsource = [] #',
     'KB/causes/hip_osteoarthritis.toml [prior]: needs a non-empty source list'),
    (C, 'id = "hip_osteoarthritis"',
     'id = = "hip_osteoarthritis"',
     'KB/causes/hip_osteoarthritis.toml: Invalid value (at line 6, column 6)'),
    ('red_flags.toml', 'flag = "cauda_equina"\nurgency = "emergency"',
     'flag = "cauda"\nurgency = "emergency"',
     "KB/red_flags.toml [[rule]] #1: unknown red flag 'cauda'"),
    ('red_flags.toml', 'flag = "cauda_equina"\nurgency = "emergency"',
     'flag = "cauda_equina"\nurgency = "self_care"',
     "KB/red_flags.toml [[rule]] #1: a red flag's urgency is urgent or emergency"),
    ('red_flags.toml', 'any = ["bowel_bladder", "saddle_numbness", "sexual_dysfunction"]',
     'any = "bowel_bladder"',
     'KB/red_flags.toml [[rule]] #1: any must be a list of conditions'),
    ('red_flags.toml', 'any = ["bowel_bladder", "saddle_numbness", "sexual_dysfunction"]',
     'any = ["painted: elbow"]',
     "KB/red_flags.toml [[rule]] #1: any: 'painted: elbow': 'elbow' is neither a base region nor a region group (hip, thigh, knee, below_knee)"),
    ('red_flags.toml', 'any = ["bowel_bladder", "saddle_numbness", "sexual_dysfunction"]',
     'any = []',
     'KB/red_flags.toml [[rule]] #1: a rule needs conditions'),
    ('red_flags.toml', 'message = "Changes in bladder',
     'message = "" #',
     'KB/red_flags.toml [[rule]] #1: message is required'),
    ('red_flags.toml', 'ask = ["bowel_bladder", "saddle_numbness", "sexual_dysfunction", "leg_weakness"]',
     'ask = "bowel_bladder"',
     'KB/red_flags.toml [[screen]] #1: ask must list red-flag answer ids'),
    ('red_flags.toml', 'ask = ["bowel_bladder", "saddle_numbness", "sexual_dysfunction", "leg_weakness"]',
     'ask = ["bowel_bladder", "worse_sitting"]',
     "KB/red_flags.toml [[screen]] #1: ['worse_sitting'] are not red-flag answer ids"),
    ('model.toml', 'source = ["bierma_zeinstra1999", "jacobs2000_gp_hip", "devon_hip_referral"]',
     'source = ["bierma_zeinstra1999", "nobody2020"]',
     "KB/model.toml [other]: sources ['nobody2020'] are not in sources.toml"),
    ('causes/greater_trochanteric_pain_syndrome.toml', '[sex.female]\nlr = 1.45\nbasis = "derived"',
     '[sex.female]\nlr = 1.45\nbasis = "guess"',
     "KB/causes/greater_trochanteric_pain_syndrome.toml [sex.female]: basis must be one of "
     "('measured', 'derived', 'estimate'), got 'guess'"),
    ('red_flags.toml', '\nif_unknown = "ask"',
     '\nif_unknown = "maybe"',
     "KB/red_flags.toml [[screen]] #3: if_unknown must be 'skip' or 'ask'"),
]


@pytest.mark.parametrize("file, old, new, message", CASES)
def test_a_broken_knowledge_base_says_where_and_what(tmp_path, file, old, new, message):
    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), folder)
    (folder / "compiled.json").unlink()  # parse the TOML files themselves
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(str(folder))
    assert str(err.value).replace(str(folder), "KB") == message


def test_a_missing_file_and_a_missing_rule_are_named(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), folder)
    (folder / "compiled.json").unlink()
    (folder / "model.toml").unlink()
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(str(folder))
    assert str(err.value) == f"{folder / 'model.toml'}: missing knowledge-base file"
    shutil.copy(knowledge_dir() / "model.toml", folder / "model.toml")
    rules = folder / "red_flags.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('flag = "deep_vein_thrombosis"', 'flag = "fracture"'),
                     encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(str(folder))
    assert str(err.value) == f"{rules}: no rule for red flags ['deep_vein_thrombosis']"
    for cause in (folder / "causes").glob("*.toml"):
        cause.unlink()
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(str(folder))
    assert str(err.value) == f"{folder / 'causes'}: no cause files"


# ------------------------------------------ ...and keeps what a valid file says (mutation tests)

def _toml(folder, name):
    import tomllib

    return tomllib.loads((folder / name).read_text(encoding="utf-8"))


def _edited_copy(tmp_path, file, old, new):
    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), folder)
    (folder / "compiled.json").unlink()
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_a_causes_self_care_age_bands_and_notes_are_loaded_as_written():
    kb = load_knowledge()
    d = _toml(knowledge_dir(), C)
    oa = kb.causes["hip_osteoarthritis"]
    assert oa.self_care == d["self_care"] and oa.self_care  # the patient's advice
    bands = [(b.lo, b.hi, b.lr) for b in oa.answers["age"].bands]
    assert bands == [(b.get("from"), b.get("below"), b["lr"]) for b in d["answers"]["age"]["bands"]]
    assert oa.answers["age"].lr(59) != oa.answers["age"].lr(60)  # 60 is where the bands meet
    assert oa.answers["age"].note == d["answers"]["age"]["note"]  # the figure's reasoning


def test_a_short_name_of_exactly_the_maximum_length_is_accepted(tmp_path):
    from hipmap.knowledge.base import SHORT_NAME_MAX

    name = "H" * SHORT_NAME_MAX
    folder = _edited_copy(tmp_path, C, 'short_name = "Hip OA"', f'short_name = "{name}"')
    assert load_knowledge(str(folder)).causes["hip_osteoarthritis"].short_name == name


def test_a_cause_without_a_colour_gets_none_rather_than_a_made_up_one(tmp_path):
    folder = _edited_copy(tmp_path, C, 'color = "#00838f"\n', "")
    assert load_knowledge(str(folder)).causes["hip_osteoarthritis"].color == ""


def test_evidence_groups_keep_their_label_and_sources():
    kb = load_knowledge()
    written = _toml(knowledge_dir(), "model.toml")["group"]
    assert [(g.id, g.label, g.source) for g in kb.groups] == [
        (g["id"], g.get("label", ""), tuple(g["source"])) for g in written]


def test_a_group_without_a_label_has_an_empty_label(tmp_path):
    folder = _edited_copy(tmp_path, "model.toml",
                          'label = "pain on standing or walking that eases with rest"\n', "")
    (group,) = [g for g in load_knowledge(str(folder)).groups if g.id == "claudication"]
    assert group.label == ""  # the explanation falls back to plain words, never "None"


def test_a_screen_without_an_id_is_numbered_from_one(tmp_path):
    folder = _edited_copy(tmp_path, "red_flags.toml", 'id = "bilateral_legs"\n', "")
    assert load_knowledge(str(folder)).screens[0].id == "screen1"


def test_a_red_flag_file_without_screening_questions_loads(tmp_path):
    folder = _edited_copy(tmp_path, "red_flags.toml", "[[screen]]", "[[unused]]")
    text = (folder / "red_flags.toml").read_text(encoding="utf-8")
    (folder / "red_flags.toml").write_text(text.replace("[[screen]]", "[[unused]]"),
                                           encoding="utf-8")
    kb = load_knowledge(str(folder))
    assert kb.screens == () and kb.red_flag_rules


def test_the_remainder_cause_has_a_territory_text_and_no_self_care_advice():
    other = load_knowledge().causes[OTHER]
    assert other.territory_summary  # shown in its explanation like every cause's
    assert other.self_care == ""  # no advice for a cause nobody has named


def test_a_source_without_a_note_has_an_empty_note(tmp_path):
    folder = _edited_copy(tmp_path, "sources.toml", '[seed]\n', '[seed]\n')
    text = (folder / "sources.toml").read_text(encoding="utf-8")
    start = text.index("[seed]")
    note = text.index("\nnote = ", start)
    end = text.index("\n", note + 1)
    (folder / "sources.toml").write_text(text[:note] + text[end:], encoding="utf-8")
    assert load_knowledge(str(folder)).sources["seed"].note == ""
    assert load_knowledge().sources["seed"].note  # (the bundled one has its note)


def test_a_figure_may_cite_one_source_as_a_string_and_leave_out_its_note(tmp_path):
    folder = _edited_copy(tmp_path, C, 'basis = "derived"\nsource = ["metcalfe2019"]\nnote = ',
                          'basis = "derived"\nsource = "metcalfe2019"\nx-note = ')
    age = load_knowledge(str(folder)).causes["hip_osteoarthritis"].answers["age"]
    assert age.source == ("metcalfe2019",) and age.note == ""


def test_a_group_without_an_id_is_numbered_by_its_place(tmp_path):
    folder = _edited_copy(tmp_path, "model.toml", 'id = "neuropathic"\n', "")
    groups = load_knowledge(str(folder)).groups
    assert groups[1].id == "group2" and groups[0].id == "claudication"
