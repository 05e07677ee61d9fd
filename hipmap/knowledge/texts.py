"""Plain-language wording shared by the matcher, the CLI, the app and the PDF (Qt-free).

The one place for: how a score is shown as a percentage (:func:`percent_text`), how an
evidence effect is put in words (:func:`effect_text`), a cause's names and colour
(:func:`cause_name`, :func:`short_name`, :func:`cause_color`), and the short topic of each
red-flag question (:data:`RED_FLAG_TOPICS`).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from hipmap.core.ids import OTHER
from hipmap.i18n import N_, _, lazy_pgettext, ngettext, pgettext

if TYPE_CHECKING:
    from hipmap.knowledge.base import Cause, KnowledgeBase

#: The remainder of the ranking (cause id ``other``): how it reads in a sentence, its full and
#: short names, and its colour (grey: not a cause of its own).
#: (Marked for translation; shown through _() by the functions below.)
OTHER_LABEL = N_("a cause outside the list")
OTHER_NAME = N_("Other: none of the listed causes fits well")
OTHER_SHORT = N_("Other")
OTHER_COLOR = "#9e9e9e"
#: Colours for causes whose file gives none (while the knowledge base is being written).
FALLBACK_COLORS = ("#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                   "#393b79", "#637939", "#7b4173", "#3182bd", "#6b6ecf", "#ad494a",
                   "#8ca252", "#5254a3")

#: red-flag answer id -> a few words naming what is asked ("Ask about: ...")
RED_FLAG_TOPICS: dict[str, str] = {
    "leg_weakness": N_("leg or foot weakness"),
    "fever_chills": N_("fever or chills"),
    "weight_loss": N_("unexplained weight loss"),
    "bowel_bladder": N_("bladder or bowel control"),
    "saddle_numbness": N_("numbness around the groin, buttocks or genitals"),
    "sexual_dysfunction": N_("new loss of sexual function"),
    "history_of_cancer": N_("a history of cancer"),
    "major_trauma": N_("a fall or accident"),
    "can_bear_weight": N_("whether the leg takes weight"),
    "anticoagulants": N_("blood thinners"),
    "night_pain": N_("pain at night or at rest"),
    "osteoporosis": N_("thin bones (osteoporosis)"),
    "long_term_steroids": N_("long-term steroid tablets"),
    "immunosuppressed": N_("a weakened immune system"),
    "iv_drug_use": N_("injecting drugs"),
    "calf_swelling": N_("a swollen calf"),
    "recent_immobility_or_surgery": N_("recent surgery or immobility"),
    "training_increase": N_("a recent rise in training"),
}


def percent_text(score: float) -> str:
    """A score as people read it: '37 %', never '100 %' or '0 %' ('> 99 %', '< 1 %')."""
    if score >= 0.995:
        return _("> 99 %")
    if score < 0.005:
        return _("< 1 %")
    return _("{percent} %").format(percent=int(score * 100 + 0.5))


def coverage_text(fraction: float) -> str:
    """Painted coverage of a region: '12%'; a graze is '<1%', never '0%'."""
    percent = f"{fraction * 100:.0f}"
    if fraction > 0 and percent == "0":
        return _("<1%")
    return _("{percent}%").format(percent=percent)


def decimal_text(number: str) -> str:
    """A number written with the language's decimal mark: '2.5' in English, '2,5' in
    Spanish."""
    # TRANSLATORS: the decimal mark in numbers such as 2.5 (Spanish: a comma)
    return number.replace(".", pgettext("decimal mark", "."))


def number_text(value: float) -> str:
    """An intensity, an age, a number of days as people write it: '7', '6.5', '58'."""
    v = float(value)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else \
        decimal_text(f"{round(v, 2):g}")


def effect_text(effect: float) -> str:
    """An evidence effect (natural log of a likelihood ratio) in words:
    'makes it 2.3 times more likely' / 'makes it 2.3 times less likely'."""
    factor = math.exp(abs(effect))
    if factor < 1.05:
        return _("makes it slightly more likely") if effect > 0 else \
            _("makes it slightly less likely")
    number = f"{factor:.0f}" if factor >= 10 else f"{factor:.1f}"
    text = (_("makes it {factor} times more likely") if effect > 0 else
            _("makes it {factor} times less likely"))
    return text.format(factor=decimal_text(number))


def screening_text(unscreened: list[str], limit: int = 3) -> str:
    """'Ask about: bladder or bowel control, ... and 4 more.'"""
    topics = [_(RED_FLAG_TOPICS[a]) if a in RED_FLAG_TOPICS else a.replace("_", " ")
              for a in unscreened]
    head = list_text(topics[:limit])
    more = len(topics) - limit
    if more > 0:
        return ngettext("Ask about: {topics} and {n} more.", "Ask about: {topics} and {n} more.",
                        more).format(topics=head, n=more)
    return _("Ask about: {topics}.").format(topics=head)


def list_text(items: list[str]) -> str:
    """'a, b, c': items in a list a sentence names (the separator is translatable)."""
    return pgettext("list separator", ", ").join(items)


def or_text(items: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(items) <= 1:
        return "".join(items)
    return _("{items} or {last}").format(items=list_text(items[:-1]), last=items[-1])


def and_text(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return _("{items} and {last}").format(items=list_text(items[:-1]), last=items[-1])


#: answer id -> (statement when yes, statement when no), completing "You said ..."
ANSWER_STATEMENTS: dict[str, tuple[str, str]] = {
    "worsening": (N_("the pain is getting worse"), N_("the pain is not getting worse")),
    "disturbs_sleep": (N_("the pain disturbs your sleep"),
                       N_("the pain does not disturb your sleep")),
    "limits_daily_activities": (N_("the pain makes everyday activities hard"),
                                N_("the pain does not stop everyday activities")),
    "worse_standing_walking": (N_("it is worse when standing or walking"),
                               N_("it is not worse when standing or walking")),
    "relieved_sitting_bending_forward": (N_("sitting or leaning forward eases it"),
                                         N_("sitting or leaning forward does not ease it")),
    "worse_sitting": (N_("it is worse when sitting for a long time"),
                      N_("it is not worse when sitting")),
    "worse_lying_on_side": (N_("it is worse lying on the painful side"),
                            N_("lying on the painful side does not make it worse")),
    "worse_weight_bearing": (N_("it is worse when you put weight on the leg"),
                             N_("putting weight on the leg does not make it worse")),
    "morning_stiffness": (N_("the hip is stiff in the morning or after rest"),
                          N_("the hip is not stiff in the morning")),
    "worse_cough_sneeze": (N_("coughing or sneezing makes the leg pain worse"),
                           N_("coughing or sneezing does not make it worse")),
    "after_specific_activity": (N_("it started with or flares after a particular activity"),
                                N_("it is not linked to a particular activity")),
    "sudden_onset_during_activity": (N_("it began suddenly during exercise, like a pull"),
                                     N_("it did not begin suddenly during exercise")),
    "leg_pain_worse_than_back": (N_("the leg pain is worse than the back pain"),
                                 N_("the leg pain is not worse than the back pain")),
    "difficulty_shoes_socks": (N_("it is hard to put on shoes and socks"),
                               N_("putting on shoes and socks is not hard")),
    "tight_belt_or_weight_gain": (
        N_("there is recent weight gain, pregnancy or tight clothing at the waist"),
        N_("there is no weight gain or tight clothing")),
    "tender_lateral_hip": (N_("the outer hip is tender to press"),
                           N_("the outer hip is not tender to press")),
    "single_leg_stance_painful": (N_("standing on the painful leg brings on outer-hip pain"),
                                  N_("standing on the painful leg does not bring on the pain")),
    "straight_leg_raise_positive": (N_("raising the straight leg brings on the leg pain"),
                                    N_("raising the straight leg does not bring on the pain")),
    "hip_rotation_painful": (N_("turning the hip inwards is painful or limited"),
                             N_("turning the hip inwards is not painful")),
    "leg_weakness": (N_("the leg or foot is weak"), N_("there is no weakness of the leg or foot")),
    "fever_chills": (N_("you have fever or chills"), N_("you have no fever or chills")),
    "weight_loss": (N_("you have lost weight without trying"), N_("you have not lost weight")),
    "bowel_bladder": (N_("bladder or bowel control has changed"),
                      N_("bladder and bowel control are unchanged")),
    "saddle_numbness": (N_("the groin, buttocks or genitals are numb"),
                        N_("there is no numbness around the groin, buttocks or genitals")),
    "sexual_dysfunction": (N_("sexual function or genital feeling is newly lost"),
                           N_("sexual function and genital feeling are unchanged")),
    "history_of_cancer": (N_("you have had cancer"), N_("you have never had cancer")),
    "major_trauma": (N_("a fall or accident came before the pain"),
                     N_("no fall or accident came before the pain")),
    "anticoagulants": (N_("you take blood thinners"), N_("you take no blood thinners")),
    "osteoporosis": (N_("you have thin bones (osteoporosis)"),
                     N_("you have no known osteoporosis")),
    "long_term_steroids": (N_("you have taken steroid tablets for over three months"),
                           N_("you have not taken long-term steroid tablets")),
    "immunosuppressed": (N_("your immune system is weakened"),
                         N_("your immune system is not weakened")),
    "iv_drug_use": (N_("you inject drugs"), N_("you do not inject drugs")),
    "calf_swelling": (N_("one calf is swollen, warm, red or tender"), N_("no calf is swollen")),
    "recent_immobility_or_surgery": (
        N_("you had surgery, a cast, bed rest or a long journey in the last 12 weeks"),
        N_("no recent surgery, cast, bed rest or long journey")),
    "training_increase": (N_("your training has recently increased sharply"),
                          N_("your training has not recently increased")),
    "night_pain": (N_("it hurts at rest or at night"), N_("it does not hurt at rest or at night")),
    "can_bear_weight": (N_("you can stand and walk on the leg"),
                        N_("you cannot stand or walk on the leg")),
    "calf_claudication": (N_("walking brings on a cramp that eases when you stand still"),
                          N_("walking does not bring on a cramp that eases when you stand still")),
    "groin_click_catch": (N_("something clicks, catches or locks deep in the groin"),
                          N_("nothing clicks or catches in the groin")),
    "knee_crepitus": (N_("the knee grates or crackles"), N_("the knee does not grate or crackle")),
    "fadir_positive": (N_("the FADIR test brings on the groin pain"),
                       N_("the FADIR test does not bring on the groin pain")),
    "faber_positive": (N_("the FABER test brings on the pain"),
                       N_("the FABER test does not bring on the pain")),
    "slump_positive": (N_("the slump test brings on the leg pain"),
                       N_("the slump test does not bring on the leg pain")),
    "femoral_stretch_positive": (N_("the femoral nerve stretch brings on front-of-thigh pain"),
                                 N_("the femoral nerve stretch does not bring on the pain")),
    "sij_provocation_positive": (N_("three or more sacroiliac tests bring on the pain"),
                                 N_("fewer than three sacroiliac tests bring on the pain")),
    "adductor_squeeze_painful": (N_("the squeeze test brings on the groin pain"),
                                 N_("the squeeze test does not bring on the groin pain")),
    "foot_pulses_weak": (N_("the foot pulses are weak or absent"),
                         N_("the foot pulses are normal")),
}


#: An urgency id and a record's source id in the text outputs: in English the id itself (as
#: the text output has always shown it), in another language a word (contract §10: the JSON
#: keeps the id).
ID_WORDS = {
    "emergency": lazy_pgettext("id shown in text", "emergency"),
    "urgent": lazy_pgettext("id shown in text", "urgent"),
    "see_clinician": lazy_pgettext("id shown in text", "see_clinician"),
    "self_care": lazy_pgettext("id shown in text", "self_care"),
    "clinician": lazy_pgettext("id shown in text", "clinician"),
    "kiosk": lazy_pgettext("id shown in text", "kiosk")}


def id_text(value: str) -> str:
    """An urgency or record-source id for a reader: 'emergency' -> 'emergencia' in Spanish;
    an id hipmap does not know as it is."""
    return str(ID_WORDS[value]) if value in ID_WORDS else value


def patient_key_text(key: str) -> str:
    """A patient-header key as a reader sees it ('id', 'age', 'sex'); other keys as they
    are."""
    words = {"id": pgettext("patient header", "id"), "age": pgettext("patient header", "age"),
             "sex": pgettext("patient header", "sex")}
    return words.get(key, key)


def patient_value_text(key: str, value: object) -> str:
    """A patient-header value: the sexes hipmap knows are translated, the rest (an id, an
    age) shown as written."""
    if key == "sex" and value in ("female", "male"):
        return pgettext("sex", "female") if value == "female" else pgettext("sex", "male")
    return str(value)


def question_text(answer_id: str) -> str:
    """A question as the patient reads it (contract sections 5 and 5b), in the current
    language."""
    from hipmap.core.ids import ANSWERS

    return _(ANSWERS[answer_id][2])


def quality_text(quality: str) -> str:
    """A pain quality in words: 'tingling (pins and needles)'."""
    from hipmap.core.ids import QUALITIES

    return _(QUALITIES[quality])


def answer_group_text(group: str) -> str:
    """A question group's heading: 'Red flags', 'History', ..."""
    from hipmap.core.ids import ANSWER_GROUPS

    return _(ANSWER_GROUPS[group])


def answer_statement(answer_id: str, value: bool) -> str:
    """What an answer says, completing "You said ...": 'the pain is getting worse'."""
    if answer_id not in ANSWER_STATEMENTS:
        words = answer_id.replace("_", " ")
        return words if value else _("not {statement}").format(statement=words)
    yes, no = ANSWER_STATEMENTS[answer_id]
    return _(yes if value else no)


def short_name(cause: Cause | None) -> str:
    """The cause's chart label (``short_name`` in its file), else its name without the
    parenthetical synonyms: 'Hip OA'. ``None`` is ``other``."""
    if cause is None:
        return _(OTHER_SHORT)
    if cause.short_name:
        return _(cause.short_name)
    return re.sub(r"\s*\([^)]*\)", "", _(cause.name)).strip()


def cause_name(kb: KnowledgeBase, cause_id: str) -> str:
    """The full name of a cause id (``other`` included), as app, CLI and PDF show it; an id
    this knowledge base does not know (a record written with another one) as it is."""
    c = kb.causes.get(cause_id)
    if c is None:
        return _(OTHER_NAME) if cause_id == OTHER else cause_id
    return _(c.name)


def cause_short(kb: KnowledgeBase, cause_id: str) -> str:
    """The short name of a cause id (``other`` included): the chart label everywhere."""
    c = kb.causes.get(cause_id)
    if c is None and cause_id != OTHER:
        return cause_id
    return short_name(c)


def cause_color(kb: KnowledgeBase, cause_id: str) -> str:
    """'#rrggbb': the cause's colour from its file; ``other`` grey."""
    c = kb.causes.get(cause_id)
    if c is None:
        return OTHER_COLOR
    if c.color:
        return c.color
    return FALLBACK_COLORS[list(kb.causes).index(cause_id) % len(FALLBACK_COLORS)]


def cause_label(cause: Cause) -> str:
    """The clinical name used inside sentences (e.g. 'hip osteoarthritis')."""
    name = re.sub(r"\s*\([^)]*\)", "", _(cause.name)).strip()
    if name[:2].isupper():  # an acronym such as "SI joint pain"
        return name
    return name[0].lower() + name[1:]


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------ regions

def region_name(region: str, *, full: bool = False) -> str:
    """The plain name of a region, from a base id (``ischial``) or a sided id
    (``right.ischial``): 'sitting bone'; with ``full``, 'sitting bone (lower inner buttock)'.
    An unknown base id is returned as it is (a record written by a newer hipmap)."""
    from hipmap.core.ids import BASE_REGIONS

    base = region.rpartition(".")[2]
    name = BASE_REGIONS.get(base)
    if name is None:
        return base
    name = _(name)
    return name if full else name.split(" (")[0]


def region_label(region_id: str, *, full: bool = True) -> str:
    """A sided region as every surface names it, the patient's side first and unmistakable:
    'RIGHT sitting bone (lower inner buttock)' (``full=False``: 'RIGHT sitting bone')."""
    side = region_id.partition(".")[0]
    region = region_name(region_id, full=full)
    if side == "right":
        return pgettext("the patient's side", "RIGHT {region}").format(region=region)
    if side == "left":
        return pgettext("the patient's side", "LEFT {region}").format(region=region)
    return f"{side.upper()} {region}"
