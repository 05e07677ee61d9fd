"""English left in a Spanish text: the check behind tests/test_spanish.py and
tests/gui/test_spanish_window.py (Qt-free).

A Spanish text is made of plain letters too, so the pseudo-locale's trick (an unaccented
word is an untranslated one) does not work. Two checks instead:

* a word of :data:`ENGLISH` (common English words that are not Spanish words) outside the
  ids and names that stay as they are;
* a run of three or more English words of a message of the catalog whose Spanish differs
  (the literal parts between its placeholders): a whole English sentence left in.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "hipmap" / "locale" / "es" / "LC_MESSAGES" / "hipmap.po"

#: English words that are not Spanish words (no 'no', 'a', 'has', 'red', 'can', 'do', 'me');
#: written in capitals, words of three letters or fewer are acronyms (IT, OA, SI)
_ENGLISH_WORDS = """
the and of is are was were be been with without you your it its this that these those what
when where which who why how for from into than then there their they them have had not does
did cannot could would should will may might must about after before only still yet
pain painful painted paint region regions side sides left right front back view views tool
brush eraser clear save open file files drawing drawings patient patients cause causes
question questions answer answers ask next yes none other unknown show select zoom fit all
every more less likely score evidence source sources urgency urgent emergency flag flags
screening incomplete complete report age years days sex female male thigh knee hip buttock
calf groin shin foot lower upper inner outer quality intensity burning sharp shooting
tingling numbness dull ache nothing recorded page undo redo help quit print export recent
recovered warning loading untitled list tick ticked fill empty erase set clinician kiosk
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_FIELDS = string.Formatter()


def _tokens(text: str) -> list[str]:
    """The words of ``text`` outside ids: a token with an underscore, a dot or a digit in it
    (right.posterior_thigh, albert2019, L5) is an id or a number."""
    kept = [t for t in text.split() if not re.search(r"[_.\d]", t.strip("():,;"))]
    return WORD.findall(" ".join(kept))


@cache
def english_sentences() -> dict[str, tuple[str, ...]]:
    """Runs of three or more words of every English message (the literal parts between its
    placeholders) that its Spanish does not also hold, by their first word."""
    from babel.messages.pofile import read_po

    with open(PO, "rb") as fh:
        catalog = read_po(fh, locale="es")
    runs: set[str] = set()
    for m in catalog:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        spanish = " ".join(m.string if isinstance(m.string, tuple | list) else [m.string])
        spanish = " ".join(spanish.split())
        for text in ids:
            for literal, *_rest in _FIELDS.parse(text.replace("{{", "(").replace("}}", ")")):
                for part in re.split(r"[.;:!?()\n«»\"—-]+", literal):
                    part = " ".join(part.split())
                    if len(WORD.findall(part)) >= 3 and part not in spanish:
                        runs.add(part)
    by_first: dict[str, list[str]] = {}
    for run in runs:
        by_first.setdefault(WORD.findall(run)[0], []).append(run)
    return {k: tuple(v) for k, v in by_first.items()}


def english_left(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English in ``text`` (whole phrases of the catalog's English, and English words),
    after removing what stays as it is in every language (``allowed``: ids, citations, file
    names); empty when there is none."""
    seen = " ".join(text.split())
    for keep in sorted(allowed, key=len, reverse=True):
        if keep:
            seen = seen.replace(keep, " ")
    seen = " ".join(seen.split())
    runs = english_sentences()
    words = set(WORD.findall(seen))
    found = [run for w in words for run in runs.get(w, ()) if run in seen]
    found += sorted({w for w in _tokens(seen) if w.lower() in ENGLISH
                     and not (w.isupper() and len(w) <= 3)})  # acronyms: IT, OA, SI
    return found


def untranslated(text: str, allowed: Iterable[str] = ()) -> str | None:
    """The first English left in ``text`` (rich text read as a person sees it, menu
    accelerators dropped) or None: the pseudo-locale walker's check, for Spanish."""
    from html import unescape

    plain = unescape(re.sub(r"<[^>]*>", " ", text)) if "<" in text else text
    plain = " ".join(plain.replace("&&", "&").split())
    for keep in sorted(allowed, key=len, reverse=True):
        if keep:
            plain = plain.replace(" ".join(keep.split()), " ")
    left = english_left(re.sub(r"&(?=\w)", "", plain))
    return left[0] if left else None
