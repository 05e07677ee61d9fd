"""The knowledge's words as the widgets show them, in the current language.

The texts themselves live in the Qt-free packages (``hipmap.core.ids``, the knowledge base)
and are extracted into the ``hipmap`` catalog there; the widgets read them only through
these functions, so the language is applied in one place."""

from __future__ import annotations

from hipmap.core.ids import ANSWER_GROUPS, ANSWERS, QUALITIES
from hipmap.i18n import _, pgettext
from hipmap.knowledge.texts import region_name


def tr(text: object) -> str:
    """A text of the Qt-free packages in the current language (itself when untranslated)."""
    return _(str(text))


def quality_name(quality: str, *, full: bool = False) -> str:
    """'tingling' (``full``: 'tingling (pins and needles)')."""
    name = tr(QUALITIES[quality])
    return name if full else name.split(" (")[0]


def question_text(answer: str) -> str:
    return tr(ANSWERS[answer][2])


def group_name(group: str) -> str:
    return tr(ANSWER_GROUPS[group])


def region_text(region: str, *, full: bool = False) -> str:
    """A region's plain name, without its side."""
    return tr(region_name(region, full=full))


def sided_region(region: str, *, full: bool = True) -> str:
    """'RIGHT outer hip': the patient's side first, unmistakable."""
    name = region_text(region, full=full)
    if region.startswith("right."):
        return pgettext("region with the patient's side", "RIGHT {region}").format(region=name)
    return pgettext("region with the patient's side", "LEFT {region}").format(region=name)


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


#: the largest number each number answer takes (the document's own limits)
def number_max(answer: str) -> int:
    from hipmap.core.document import MAX_AGE, MAX_DURATION_DAYS

    return {"age": MAX_AGE, "duration_days": MAX_DURATION_DAYS}.get(answer, 100000)


def number_suffix(answer: str) -> str:
    """What a number box shows after the number (with its leading space)."""
    if answer == "age":
        # TRANSLATORS: after a number in a box, with its leading space: "58 years"
        return pgettext("number box", " years")
    if answer == "duration_days":
        # TRANSLATORS: after a number in a box, with its leading space: "30 days"
        return pgettext("number box", " days")
    return ""
