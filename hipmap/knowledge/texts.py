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

if TYPE_CHECKING:
    from hipmap.knowledge.base import Cause, KnowledgeBase

#: The remainder of the ranking (cause id ``other``): how it reads in a sentence, its full and
#: short names, and its colour (grey: not a cause of its own).
OTHER_LABEL = "a cause outside the list"
OTHER_NAME = "Other: none of the listed causes fits well"
OTHER_SHORT = "Other"
OTHER_COLOR = "#9e9e9e"
#: Colours for causes whose file gives none (while the knowledge base is being written).
FALLBACK_COLORS = ("#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                   "#393b79", "#637939", "#7b4173", "#3182bd", "#6b6ecf", "#ad494a",
                   "#8ca252", "#5254a3")

#: red-flag answer id -> a few words naming what is asked ("Ask about: ...")
RED_FLAG_TOPICS: dict[str, str] = {
    "leg_weakness": "leg or foot weakness",
    "fever_chills": "fever or chills",
    "weight_loss": "unexplained weight loss",
    "bowel_bladder": "bladder or bowel control",
    "saddle_numbness": "numbness around the groin, buttocks or genitals",
    "sexual_dysfunction": "new loss of sexual function",
    "history_of_cancer": "a history of cancer",
    "major_trauma": "a fall or accident",
    "can_bear_weight": "whether the leg takes weight",
    "anticoagulants": "blood thinners",
    "night_pain": "pain at night or at rest",
    "osteoporosis": "thin bones (osteoporosis)",
    "long_term_steroids": "long-term steroid tablets",
    "immunosuppressed": "a weakened immune system",
    "iv_drug_use": "injecting drugs",
    "calf_swelling": "a swollen calf",
    "recent_immobility_or_surgery": "recent surgery or immobility",
    "training_increase": "a recent rise in training",
}


def percent_text(score: float) -> str:
    """A score as people read it: '37 %', never '100 %' or '0 %' ('> 99 %', '< 1 %')."""
    if score >= 0.995:
        return "> 99 %"
    if score < 0.005:
        return "< 1 %"
    return f"{int(score * 100 + 0.5)} %"


def coverage_text(fraction: float) -> str:
    """Painted coverage of a region: '12%'; a graze is '<1%', never '0%'."""
    return "<1%" if 0 < fraction < 0.005 else f"{fraction * 100:.0f}%"


def number_text(value: float) -> str:
    """An intensity, an age, a number of days as people write it: '7', '6.5', '58'."""
    v = float(value)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{round(v, 2):g}"


def effect_text(effect: float) -> str:
    """An evidence effect (natural log of a likelihood ratio) in words:
    'makes it 2.3 times more likely' / 'makes it 2.3 times less likely'."""
    factor = math.exp(abs(effect))
    direction = "more" if effect > 0 else "less"
    if factor < 1.05:
        return f"makes it slightly {direction} likely"
    number = f"{factor:.0f}" if factor >= 10 else f"{factor:.1f}"
    return f"makes it {number} times {direction} likely"


def screening_text(unscreened: list[str], limit: int = 3) -> str:
    """'Ask about: bladder or bowel control, ... and 4 more.'"""
    topics = [RED_FLAG_TOPICS.get(a, a.replace("_", " ")) for a in unscreened]
    head = ", ".join(topics[:limit])
    more = len(topics) - limit
    return f"Ask about: {head}" + (f" and {more} more" if more > 0 else "") + "."

#: answer id -> (statement when yes, statement when no), completing "You said ..."
ANSWER_STATEMENTS: dict[str, tuple[str, str]] = {
    "worsening": ("the pain is getting worse", "the pain is not getting worse"),
    "disturbs_sleep": ("the pain disturbs your sleep", "the pain does not disturb your sleep"),
    "limits_daily_activities": ("the pain makes everyday activities hard",
                                "the pain does not stop everyday activities"),
    "worse_standing_walking": ("it is worse when standing or walking",
                               "it is not worse when standing or walking"),
    "relieved_sitting_bending_forward": ("sitting or leaning forward eases it",
                                         "sitting or leaning forward does not ease it"),
    "worse_sitting": ("it is worse when sitting for a long time",
                      "it is not worse when sitting"),
    "worse_lying_on_side": ("it is worse lying on the painful side",
                            "lying on the painful side does not make it worse"),
    "worse_weight_bearing": ("it is worse when you put weight on the leg",
                             "putting weight on the leg does not make it worse"),
    "morning_stiffness": ("the hip is stiff in the morning or after rest",
                          "the hip is not stiff in the morning"),
    "worse_cough_sneeze": ("coughing or sneezing makes the leg pain worse",
                           "coughing or sneezing does not make it worse"),
    "after_specific_activity": ("it started with or flares after a particular activity",
                                "it is not linked to a particular activity"),
    "sudden_onset_during_activity": ("it began suddenly during exercise, like a pull",
                                     "it did not begin suddenly during exercise"),
    "leg_pain_worse_than_back": ("the leg pain is worse than the back pain",
                                 "the leg pain is not worse than the back pain"),
    "difficulty_shoes_socks": ("it is hard to put on shoes and socks",
                               "putting on shoes and socks is not hard"),
    "tight_belt_or_weight_gain": ("there is recent weight gain, pregnancy or tight clothing "
                                  "at the waist", "there is no weight gain or tight clothing"),
    "tender_lateral_hip": ("the outer hip is tender to press",
                           "the outer hip is not tender to press"),
    "single_leg_stance_painful": ("standing on the painful leg brings on outer-hip pain",
                                  "standing on the painful leg does not bring on the pain"),
    "straight_leg_raise_positive": ("raising the straight leg brings on the leg pain",
                                    "raising the straight leg does not bring on the pain"),
    "hip_rotation_painful": ("turning the hip inwards is painful or limited",
                             "turning the hip inwards is not painful"),
    "leg_weakness": ("the leg or foot is weak", "there is no weakness of the leg or foot"),
    "fever_chills": ("you have fever or chills", "you have no fever or chills"),
    "weight_loss": ("you have lost weight without trying", "you have not lost weight"),
    "bowel_bladder": ("bladder or bowel control has changed",
                      "bladder and bowel control are unchanged"),
    "saddle_numbness": ("the groin, buttocks or genitals are numb",
                        "there is no numbness around the groin, buttocks or genitals"),
    "sexual_dysfunction": ("sexual function or genital feeling is newly lost",
                           "sexual function and genital feeling are unchanged"),
    "history_of_cancer": ("you have had cancer", "you have never had cancer"),
    "major_trauma": ("a fall or accident came before the pain",
                     "no fall or accident came before the pain"),
    "anticoagulants": ("you take blood thinners", "you take no blood thinners"),
    "osteoporosis": ("you have thin bones (osteoporosis)", "you have no known osteoporosis"),
    "long_term_steroids": ("you have taken steroid tablets for over three months",
                           "you have not taken long-term steroid tablets"),
    "immunosuppressed": ("your immune system is weakened", "your immune system is not weakened"),
    "iv_drug_use": ("you inject drugs", "you do not inject drugs"),
    "calf_swelling": ("one calf is swollen, warm, red or tender", "no calf is swollen"),
    "recent_immobility_or_surgery": (
        "you had surgery, a cast, bed rest or a long journey in the last 12 weeks",
        "no recent surgery, cast, bed rest or long journey"),
    "training_increase": ("your training has recently increased sharply",
                          "your training has not recently increased"),
    "night_pain": ("it hurts at rest or at night", "it does not hurt at rest or at night"),
    "can_bear_weight": ("you can stand and walk on the leg",
                        "you cannot stand or walk on the leg"),
    "calf_claudication": ("walking brings on a cramp that eases when you stand still",
                          "walking does not bring on a cramp that eases when you stand still"),
    "groin_click_catch": ("something clicks, catches or locks deep in the groin",
                          "nothing clicks or catches in the groin"),
    "knee_crepitus": ("the knee grates or crackles", "the knee does not grate or crackle"),
    "fadir_positive": ("the FADIR test brings on the groin pain",
                       "the FADIR test does not bring on the groin pain"),
    "faber_positive": ("the FABER test brings on the pain",
                       "the FABER test does not bring on the pain"),
    "slump_positive": ("the slump test brings on the leg pain",
                       "the slump test does not bring on the leg pain"),
    "femoral_stretch_positive": ("the femoral nerve stretch brings on front-of-thigh pain",
                                 "the femoral nerve stretch does not bring on the pain"),
    "sij_provocation_positive": ("three or more sacroiliac tests bring on the pain",
                                 "fewer than three sacroiliac tests bring on the pain"),
    "adductor_squeeze_painful": ("the squeeze test brings on the groin pain",
                                 "the squeeze test does not bring on the groin pain"),
    "foot_pulses_weak": ("the foot pulses are weak or absent", "the foot pulses are normal"),
}


def answer_statement(answer_id: str, value: bool) -> str:
    yes, no = ANSWER_STATEMENTS.get(answer_id, (answer_id.replace("_", " "),
                                                f"not {answer_id.replace('_', ' ')}"))
    return yes if value else no


def short_name(cause: Cause | None) -> str:
    """The cause's chart label (``short_name`` in its file), else its name without the
    parenthetical synonyms: 'Hip OA'. ``None`` is ``other``."""
    if cause is None:
        return OTHER_SHORT
    if cause.short_name:
        return cause.short_name
    return re.sub(r"\s*\([^)]*\)", "", cause.name).strip()


def cause_name(kb: KnowledgeBase, cause_id: str) -> str:
    """The full name of a cause id (``other`` included), as app, CLI and PDF show it; an id
    this knowledge base does not know (a record written with another one) as it is."""
    c = kb.causes.get(cause_id)
    if c is None:
        return OTHER_NAME if cause_id == OTHER else cause_id
    return c.name


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
    name = re.sub(r"\s*\([^)]*\)", "", cause.name).strip()
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
    return name if full else name.split(" (")[0]


def region_label(region_id: str, *, full: bool = True) -> str:
    """A sided region as every surface names it, the patient's side first and unmistakable:
    'RIGHT sitting bone (lower inner buttock)' (``full=False``: 'RIGHT sitting bone')."""
    side, _, _base = region_id.partition(".")
    return f"{side.upper()} {region_name(region_id, full=full)}"
