"""Every public id of the contract (docs/contract.md), in one place.

Ids are never renamed or reused; new ones may be added.
"""

from __future__ import annotations

from typing import Final

from hipmap.i18n import N_

VIEWS: Final = ("front", "back", "right_side", "left_side")
SIDES: Final = ("right", "left")

#: Base region ids (contract section 7) with a plain-language name for patients.
BASE_REGIONS: Final[dict[str, str]] = {
    "lower_back": N_("lower back"),
    "sacroiliac": N_("sacroiliac joint area (the dimple at the back of the pelvis)"),
    "buttock": N_("buttock"),
    "ischial": N_("sitting bone (lower inner buttock)"),
    "lateral_hip": N_("outer hip"),
    "groin": N_("groin and front of the hip"),
    "anterior_thigh": N_("front of the thigh"),
    "medial_thigh": N_("inner thigh"),
    "lateral_thigh": N_("outer thigh"),
    "posterior_thigh": N_("back of the thigh"),
    "anterior_knee": N_("front of the knee"),
    "medial_knee": N_("inner knee"),
    "lateral_knee": N_("outer knee"),
    "posterior_knee": N_("back of the knee"),
    "anterior_leg": N_("shin"),
    "medial_leg": N_("inner lower leg"),
    "lateral_leg": N_("outer lower leg"),
    "posterior_leg": N_("calf"),
    "dorsal_foot": N_("top of the foot and big toe"),
    "plantar_foot": N_("sole and outer edge of the foot"),
}

REGION_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "hip": ("lower_back", "sacroiliac", "buttock", "ischial", "lateral_hip", "groin"),
    "thigh": ("anterior_thigh", "medial_thigh", "lateral_thigh", "posterior_thigh"),
    "knee": ("anterior_knee", "medial_knee", "lateral_knee", "posterior_knee"),
    "below_knee": (
        "anterior_leg",
        "medial_leg",
        "lateral_leg",
        "posterior_leg",
        "dorsal_foot",
        "plantar_foot",
    ),
}

REGIONS: Final = tuple(f"{side}.{base}" for side in SIDES for base in BASE_REGIONS)

DERMATOME_ROOTS: Final = ("L1", "L2", "L3", "L4", "L5", "S1", "S2")
DERMATOMES: Final = tuple(f"{side}.{root}" for side in SIDES for root in DERMATOME_ROOTS)

QUALITIES: Final[dict[str, str]] = {
    "shooting": N_("shooting"),
    "burning": N_("burning"),
    "sharp": N_("sharp"),
    "dull_ache": N_("dull ache"),
    "tingling": N_("tingling (pins and needles)"),
    "numbness": N_("numbness"),
}

#: Causes with a knowledge-base file (contract sections 6 and 6b).
KB_CAUSES: Final = (
    "lumbar_radiculopathy",
    "lumbar_spinal_stenosis",
    "hip_osteoarthritis",
    "greater_trochanteric_pain_syndrome",
    "piriformis_syndrome",
    "proximal_hamstring_tendinopathy",
    "thigh_muscle_strain",
    "sacroiliac_joint_pain",
    "meralgia_paresthetica",
    # contract 1.1
    "femoroacetabular_impingement",
    "adductor_related_groin_pain",
    "knee_osteoarthritis",
    "iliotibial_band_syndrome",
    "peripheral_arterial_disease",
)

#: The remainder of the ranking (contract 1.1 section 6b): none of the listed causes explains
#: the picture well. Not a knowledge-base file: the engine's own hypothesis (model.toml).
OTHER: Final = "other"

#: Every cause id the ranking holds (contract sections 6 and 6b).
CAUSES: Final = (*KB_CAUSES, OTHER)

RED_FLAGS: Final = (
    "cauda_equina",
    "acute_nerve_deficit",
    "infection_or_malignancy",
    "fracture",
    # added (contract allows additions): bleeding into the hip flexor or thigh on blood thinners
    "anticoagulant_bleed",
    # contract 1.1
    "deep_vein_thrombosis",
)

URGENCIES: Final = ("self_care", "see_clinician", "urgent", "emergency")  # mildest first

#: Answers of contract sections 5 and 5b: id -> (kind, group, question as a patient reads it).
#: Ordered as the app shows them: the red-flag group first, then history, behaviour, findings.
ANSWERS: Final[dict[str, tuple[str, str, str]]] = {
    # ---- red flags: rules in red_flags.toml (only WEIGHABLE_RED_FLAG_ANSWERS also weigh causes)
    "leg_weakness": (
        "bool", "red_flags",
        N_("Sudden or severe weakness of the leg or foot (foot drop)?")),
    "fever_chills": ("bool", "red_flags", N_("Fever or chills with the pain?")),
    "weight_loss": ("bool", "red_flags", N_("Weight loss you cannot explain?")),
    "bowel_bladder": (
        "bool", "red_flags",
        N_("New loss of bowel or bladder control, or difficulty passing urine?")),
    "saddle_numbness": (
        "bool", "red_flags",
        N_("Numbness around the groin, buttocks or genitals?")),
    "sexual_dysfunction": (
        "bool", "red_flags",
        N_("New loss of sexual function or of feeling in the genitals?")),
    "history_of_cancer": ("bool", "red_flags", N_("Have you ever had cancer?")),
    "major_trauma": ("bool", "red_flags", N_("Did a fall or accident happen before the pain?")),
    "can_bear_weight": ("bool", "red_flags", N_("Can you stand and walk on the painful leg?")),
    "anticoagulants": (
        "bool", "red_flags",
        N_("Do you take blood thinners (e.g. warfarin, apixaban)?")),
    "night_pain": (
        "bool", "red_flags",
        N_("Does it hurt at rest or at night, and not ease when you change position?")),
    "osteoporosis": (
        "bool", "red_flags",
        N_("Do you have thin bones (osteoporosis), or broke a bone before in a minor fall?")),
    "long_term_steroids": (
        "bool", "red_flags",
        N_("Have you taken steroid tablets for more than three months?")),
    "immunosuppressed": (
        "bool", "red_flags",
        N_("Is your immune system weakened by illness or medicines (chemotherapy, transplant "
           "drugs, HIV)?")),
    "iv_drug_use": ("bool", "red_flags", N_("Do you inject drugs?")),
    "calf_swelling": ("bool", "red_flags", N_("Is one calf swollen, warm, red or tender?")),
    "recent_immobility_or_surgery": (
        "bool", "red_flags",
        N_("In the last 12 weeks: an operation, a plaster cast, bed rest or a long journey?")),
    "training_increase": (
        "bool", "red_flags",
        N_("Have you recently increased your running, marching or training a lot?")),
    # ---- history
    "age": ("number", "history", N_("How old are you?")),
    "duration_days": ("number", "history", N_("How many days has the pain lasted?")),
    "worsening": ("bool", "history", N_("Is the pain getting steadily worse?")),
    "disturbs_sleep": ("bool", "history", N_("Does the pain disturb your sleep?")),
    "limits_daily_activities": (
        "bool", "history",
        N_("Does the pain make everyday activities hard?")),
    "after_specific_activity": (
        "bool", "history",
        N_("Did it start with, or flare after, an activity such as running or lifting?")),
    "sudden_onset_during_activity": (
        "bool", "history",
        N_("Did it begin suddenly during exercise, like a pull or a pop?")),
    "leg_pain_worse_than_back": (
        "bool", "history",
        N_("Is the leg pain worse than the back pain?")),
    "tight_belt_or_weight_gain": (
        "bool", "history",
        N_("Any recent weight gain, pregnancy, or tight belts or clothing at the waist?")),
    "calf_claudication": (
        "bool", "history",
        N_("Does walking bring on a cramp in the calf or buttock that eases within minutes of "
           "standing still?")),
    # ---- what makes it worse or better
    "worse_standing_walking": (
        "bool", "behaviour",
        N_("Is it worse when you stand or walk for a while?")),
    "relieved_sitting_bending_forward": (
        "bool", "behaviour",
        N_("Does sitting down or leaning forward ease it?")),
    "worse_sitting": ("bool", "behaviour", N_("Is it worse when you sit for a long time?")),
    "worse_lying_on_side": (
        "bool", "behaviour",
        N_("Is it worse lying on the painful side at night?")),
    "worse_weight_bearing": (
        "bool", "behaviour",
        N_("Is it worse when you put weight on the leg (walking, stairs)?")),
    "morning_stiffness": (
        "bool", "behaviour",
        N_("Is the hip stiff in the morning or after rest?")),
    "worse_cough_sneeze": (
        "bool", "behaviour",
        N_("Does coughing, sneezing or straining make the leg pain worse?")),
    "difficulty_shoes_socks": (
        "bool", "behaviour",
        N_("Is it hard to put on your shoes and socks?")),
    "groin_click_catch": (
        "bool", "behaviour",
        N_("Does something click, catch or lock deep in the groin?")),
    "knee_crepitus": ("bool", "behaviour", N_("Does the knee grate or crackle when it moves?")),
    # ---- clinician findings
    "tender_lateral_hip": ("bool", "findings", N_("Is the outer hip tender when pressed?")),
    "single_leg_stance_painful": (
        "bool", "findings",
        N_("Standing on the painful leg for 30 s brings on outer-hip pain")),
    "straight_leg_raise_positive": (
        "bool", "findings",
        N_("Straight-leg raise reproduces the leg pain")),
    "slump_positive": ("bool", "findings", N_("The slump test reproduces the leg pain")),
    "femoral_stretch_positive": (
        "bool", "findings",
        N_("The femoral nerve stretch test reproduces front-of-thigh pain")),
    "hip_rotation_painful": (
        "bool", "findings",
        N_("Turning the hip inwards is painful or limited")),
    "fadir_positive": (
        "bool", "findings",
        N_("Flexion, adduction and internal rotation (FADIR) reproduces the groin pain")),
    "faber_positive": (
        "bool", "findings",
        N_("Flexion, abduction and external rotation (FABER) reproduces the pain")),
    "sij_provocation_positive": (
        "bool", "findings",
        N_("Three or more of the five sacroiliac provocation tests reproduce the pain")),
    "adductor_squeeze_painful": (
        "bool", "findings",
        N_("Resisted adduction (squeeze test) reproduces the groin pain")),
    "foot_pulses_weak": ("bool", "findings", N_("Foot pulses are weak or absent")),
}

#: The question groups, in the order the app shows them: red flags first.
ANSWER_GROUPS: Final[dict[str, str]] = {
    "red_flags": N_("Red flags"),
    "history": N_("History"),
    "behaviour": N_("What makes it worse or better"),
    "findings": N_("Clinician findings"),
}

RED_FLAG_ANSWERS: Final = tuple(a for a, (_, g, _) in ANSWERS.items() if g == "red_flags")

#: Red-flag-group answers that cause files may also weigh, because they also describe a
#: cause's typical picture (weakness in radiculopathy, a rise in training in a strain, ...);
#: every other red-flag answer acts only through the rules of red_flags.toml.
WEIGHABLE_RED_FLAG_ANSWERS: Final = (
    "leg_weakness", "training_increase", "night_pain", "can_bear_weight")


def split_region(region_id: str) -> tuple[str, str]:
    """'right.groin' -> ('right', 'groin'). Raises ValueError for an unknown id."""
    side, _, base = region_id.partition(".")
    if side not in SIDES or base not in BASE_REGIONS:
        raise ValueError(f"unknown region id {region_id!r}")
    return side, base
