"""Plain-language wording shared by the matcher, the CLI and the UI."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hipmap.knowledge.base import Cause

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
}


def answer_statement(answer_id: str, value: bool) -> str:
    yes, no = ANSWER_STATEMENTS.get(answer_id, (answer_id.replace("_", " "),
                                                f"not {answer_id.replace('_', ' ')}"))
    return yes if value else no


def short_name(cause: Cause) -> str:
    """The cause's name without its parenthetical synonyms: 'Hip osteoarthritis'."""
    return re.sub(r"\s*\([^)]*\)", "", cause.name).strip()


def cause_label(cause: Cause) -> str:
    """The short clinical name used inside sentences (e.g. 'hip osteoarthritis')."""
    name = short_name(cause)
    if name[:2].isupper():  # an acronym such as "SI joint pain"
        return name
    return name[0].lower() + name[1:]


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
