"""The knowledge base's texts in the translation catalogs (the ``hipmap`` gettext domain).

A cause's names, summaries and self-care advice, each red-flag rule's message and action,
each screen's reason, each evidence group's label and the disclaimer are written in English
in the TOML files; they are looked up by that English text (the msgid) wherever they are
shown, through :func:`hipmap.i18n._`. :func:`extract` is the Babel extractor that puts them
into ``hipmap.pot`` (``babel.cfg`` declares it), each with a comment naming its file and
key; ``make pot`` runs it. Changing an English text in a TOML file is changing a msgid: the
translations of the old text no longer apply, as for any text in the code.

Notes, citations and sources are not translated: they record where a number comes from,
for whoever checks it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO, Any

#: file name (or ``causes/*``) -> the keys whose string values a person reads
TRANSLATABLE: dict[str, tuple[str, ...]] = {
    "causes": ("name", "short_name", "plain_name", "summary", "plain_summary",
               "territory_summary", "self_care"),
    "red_flags.toml": ("message", "action", "why"),
    "model.toml": ("label", "disclaimer"),
}


def keys_for(path: str) -> tuple[str, ...]:
    p = PurePath(path)
    if p.parent.name == "causes":
        return TRANSLATABLE["causes"]
    return TRANSLATABLE.get(p.name, ())


def messages(text: str, path: str) -> Iterator[tuple[int, str, str]]:
    """(line number, key, English text) of every translatable value in one TOML file: a
    ``key = "..."`` line whose key is translatable there (the knowledge base writes each
    text on one line)."""
    wanted = keys_for(path)
    for lineno, line in enumerate(text.splitlines(), start=1):
        key, eq, _rest = line.partition("=")
        key = key.strip()
        if not eq or key not in wanted:
            continue
        try:
            value = tomllib.loads(line).get(key)
        except tomllib.TOMLDecodeError:
            continue
        if isinstance(value, str) and value.strip():
            yield lineno, key, value


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
            ) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor interface: (line, function name, message, translator comments)."""
    path = getattr(fileobj, "name", "") or ""
    text = fileobj.read().decode("utf-8")
    name = PurePath(path)
    where = f"{name.parent.name}/{name.name}" if name.parent.name == "causes" else name.name
    for lineno, key, value in messages(text, path):
        yield lineno, None, value, [f"knowledge base: {where}, {key}"]
