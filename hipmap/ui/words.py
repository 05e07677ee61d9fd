"""The knowledge's words as the widgets show them, in the current language: the helpers of
:mod:`hipmap.knowledge.texts` (one wording for every surface) under the names the widgets
use, and :func:`tr` for a text that arrives as data (a knowledge-base sentence)."""

from __future__ import annotations

from hipmap.i18n import _, pgettext
from hipmap.knowledge.texts import (
    answer_group_text,
    quality_text,
    question_text,
    region_label,
    region_name,
)


def tr(text: object) -> str:
    """A text of the Qt-free packages in the current language (itself when untranslated)."""
    return _(str(text))


def quality_name(quality: str, *, full: bool = False) -> str:
    """'tingling' (``full``: 'tingling (pins and needles)')."""
    name = quality_text(quality)
    return name if full else name.split(" (")[0]


def group_name(group: str) -> str:
    return answer_group_text(group)


def region_text(region: str, *, full: bool = False) -> str:
    """A region's plain name, without its side."""
    return region_name(region, full=full)


def sided_region(region: str, *, full: bool = True) -> str:
    """'RIGHT outer hip': the patient's side first, unmistakable."""
    return region_label(region, full=full)


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


__all__ = ["capitalized", "group_name", "number_max", "number_suffix", "quality_name",
           "question_text", "region_text", "sided_region", "tr"]
