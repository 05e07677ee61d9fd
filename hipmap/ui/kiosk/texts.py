"""Every word the patient reads at the kiosk, in plain language (about a sixth-grade reading
level in English, measured by tests/gui/kiosk/test_kiosk_language.py; Spanish by the
Fernández-Huerta index). They live in the kiosk's own catalog (``hipmap_kiosk``).

The questions are the contract's answer ids (section 5), worded here for a patient alone at a
screen: the clinician window's wording (hipmap.core.ids) is written for a clinician asking.
Clinician findings (examination tests) are never asked at the kiosk, nor numbers.
"""

from __future__ import annotations

from hipmap.i18n import N_, _

#: answer id -> the question as the kiosk asks it (Yes / No / Not sure)
QUESTIONS: dict[str, str] = {
    # red flags
    "leg_weakness": N_("Is your leg or foot suddenly very weak?"),
    "fever_chills": N_("Do you have a fever or chills?"),
    "weight_loss": N_("Have you lost weight without trying?"),
    "bowel_bladder": N_("Is this new: you cannot hold your urine or stool, or you cannot "
                        "pass urine?"),
    "saddle_numbness": N_("Is the skin numb between your legs or around your bottom?"),
    "sexual_dysfunction": N_("Is this new: you have lost feeling in your private parts, "
                             "or you cannot have sex as before?"),
    "history_of_cancer": N_("Have you ever had cancer?"),
    "major_trauma": N_("Did the pain start after a fall or an accident?"),
    "can_bear_weight": N_("Can you stand and walk on the leg that hurts?"),
    "anticoagulants": N_("Do you take pills to thin your blood? For example warfarin or "
                         "apixaban."),
    "night_pain": N_("Does it hurt at night or at rest, even when you move?"),
    "osteoporosis": N_("Do you have weak bones? Or did you break a bone in a small fall?"),
    "long_term_steroids": N_("Have you taken steroid pills for more than 3 months?"),
    "immunosuppressed": N_("Is your body weak against germs because of an illness or a "
                           "drug? For example chemo, HIV, or drugs after a transplant."),
    "iv_drug_use": N_("Do you inject drugs?"),
    "calf_swelling": N_("Is one calf swollen, warm, red or sore?"),
    "recent_immobility_or_surgery": N_("In the last 12 weeks, did you have an operation, a "
                                       "cast, bed rest or a long trip?"),
    "training_increase": N_("Did you start to run or train a lot more than before?"),
    # history
    "worsening": N_("Is the pain getting worse?"),
    "disturbs_sleep": N_("Does the pain wake you up or keep you awake?"),
    "limits_daily_activities": N_("Does the pain make your daily tasks hard?"),
    "after_specific_activity": N_("Did it start, or get worse, after you ran or lifted "
                                  "something?"),
    "sudden_onset_during_activity": N_("Did it start all at once during sport, like a pull "
                                       "or a pop?"),
    "leg_pain_worse_than_back": N_("Does your leg hurt more than your back?"),
    "tight_belt_or_weight_gain": N_("Have you put on weight, are you pregnant, or do you wear "
                                    "a tight belt?"),
    "calf_claudication": N_("When you walk, do you get a cramp in the calf or buttock that "
                            "stops when you stand still?"),
    # what makes it worse or better
    "worse_standing_walking": N_("Is it worse when you stand or walk for a while?"),
    "relieved_sitting_bending_forward": N_("Does it get better when you sit down or lean "
                                           "forward?"),
    "worse_sitting": N_("Is it worse when you sit for a long time?"),
    "worse_lying_on_side": N_("Is it worse when you lie on that side at night?"),
    "worse_weight_bearing": N_("Is it worse when you put weight on the leg, like on the "
                               "stairs?"),
    "morning_stiffness": N_("Is your hip stiff in the morning or after a rest?"),
    "worse_cough_sneeze": N_("Does a cough or a sneeze make the pain in your leg worse?"),
    "difficulty_shoes_socks": N_("Is it hard to put on your shoes and socks?"),
    "groin_click_catch": N_("Does something click, catch or lock deep in your groin?"),
    "knee_crepitus": N_("Does your knee grind or crackle when it moves?"),
}

#: quality id -> the word under its picture
QUALITIES: dict[str, str] = {
    "shooting": N_("Shooting, like a shock"),
    "burning": N_("Burning"),
    "sharp": N_("Sharp, like a stab"),
    "dull_ache": N_("A dull ache"),
    "tingling": N_("Pins and needles"),
    "numbness": N_("Numb"),
}

#: the answers as the patient taps them; the stored value (None: not answered)
CHOICES: tuple[tuple[str, str, bool | None], ...] = (
    ("yes", N_("Yes"), True), ("no", N_("No"), False), ("unsure", N_("Not sure"), None))

#: hipmap's own wording of the red-flag instruction (a clinic may set its own)
RED_FLAG_DEFAULT = N_("Please tell the reception desk now.")


def question(answer_id: str) -> str:
    return _(QUESTIONS[answer_id])


def askable(answer_id: str) -> bool:
    """Whether the kiosk may ask this (a yes/no question a patient can answer)."""
    return answer_id in QUESTIONS


def choice_word(key: str) -> str:
    return next(_(word) for k, word, _v in CHOICES if k == key)

