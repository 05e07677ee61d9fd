"""hipmap's one translation mechanism (Qt-free): gettext catalogs in the ``hipmap`` domain.

Every text a person reads goes through these functions — widgets, CLI text, knowledge-base
sentences, the PDF — never an id, a JSON key or a JSON value that is an id (contract §10)::

    from hipmap.i18n import _, ngettext, pgettext, N_, lazy_gettext

    _("Save the pain drawing")
    ngettext("{n} unsaved drawing", "{n} unsaved drawings", n).format(n=n)
    pgettext("patient's side", "RIGHT")        # same English, another meaning
    QUALITY_NAMES = {"burning": N_("burning")}  # marked for extraction; _() where shown
    TITLE = lazy_gettext("Regions")             # translated each time it is read

* Whole sentences with named placeholders (``{n}``, ``{name}``), never sentences glued from
  translated fragments: a translator must see the whole sentence.
* The language is chosen once at start (:func:`choose_language`: ``--lang``, else
  ``HIPMAP_LANG``, else the system's languages, else English) and set with
  :func:`set_language`; the functions above always read the current one, so a front end
  that switches language (the kiosk) only has to redraw its texts.
* Catalogs: ``hipmap/locale/<lang>/LC_MESSAGES/hipmap.po`` (sources, committed) and
  ``hipmap.mo`` (compiled by ``make mo`` and committed too, so the wheel, an editable
  install and the frozen app find them with no build step and no Babel at run time;
  ``tests/test_i18n.py`` fails when a ``.mo`` no longer matches its ``.po``); the kiosk's
  own ``hipmap_kiosk.po``/``.mo`` beside them, chained as the main catalog's fallback
  (:data:`DOMAINS`).
  ``tools/i18n.py`` (``make pot``, ``make po``, ``make mo``, ``make pseudo``) extracts,
  updates and compiles them with Babel. English is the source language: it has no catalog.
* The pseudo-locale :data:`PSEUDO` (accented, about a third longer, bracketed) is generated
  from the template by ``tools/i18n.py``; it is never chosen from the system, only asked for.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

DOMAIN = "hipmap"
#: The catalogs of one language, chained: ``hipmap.mo`` (everything but the kiosk) first, then
#: ``hipmap_kiosk.mo`` (the patient kiosk's own texts, hipmap/ui/kiosk) as its gettext
#: fallback — one mechanism, two files, so the kiosk's catalog is kept apart from the main one.
KIOSK_DOMAIN = "hipmap_kiosk"
DOMAINS: tuple[str, ...] = (DOMAIN, KIOSK_DOMAIN)
#: The source language: the texts in the code are English, so English needs no catalog.
DEFAULT = "en"
#: Languages hipmap ships (contract §10), with their own names (for a language chooser).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
#: The pseudo-locale used to find untranslated and clipped texts (tools/i18n.py pseudo).
PSEUDO = "en_XA"

class LanguageError(ValueError):
    """A language asked for (``--lang``, ``HIPMAP_LANG``) that hipmap does not have; the
    command line reports it in one line and exits 2 (it is a ValueError, like InputError,
    because hipmap.i18n sits below hipmap.core and imports nothing of hipmap)."""


_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT


def localedir() -> Path:
    """``hipmap/locale``: inside the package (source tree, wheel, frozen bundle alike)."""
    return Path(__file__).resolve().parent.parent / "locale"


def localedirs(folder: Path | None = None) -> list[Path]:
    """Where catalogs are looked for, first match wins: ``folder`` when given, else
    ``HIPMAP_LOCALE_DIR`` (a translator's catalog, the pseudo-locale of ``make pseudo``)
    when set, then the package's own."""
    if folder is not None:
        return [folder]
    extra = os.environ.get("HIPMAP_LOCALE_DIR")
    return [Path(extra), localedir()] if extra else [localedir()]


# =========================================================================== the functions

def _(message: str) -> str:
    """``message`` in the current language (itself when it has no translation)."""
    return _translation.gettext(message)


def gettext_(message: str) -> str:  # the long name, for places where ``_`` is taken
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` (languages have one, two, three or more plural forms)."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in a context that tells translators which meaning is meant."""
    return _translation.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translation.npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for extraction and returns it unchanged; translate it with
    ``_(value)`` where it is shown (tables of constants, ids mapped to names)."""
    return message


class LazyString:
    """A text translated each time it is turned into a ``str`` (module-level constants that
    are read after the language is set, or again after it changes)."""

    __slots__ = ("_args", "_func")

    def __init__(self, func: Any, *args: Any) -> None:
        self._func = func
        self._args = args

    def __str__(self) -> str:
        return self._func(*self._args)

    def __repr__(self) -> str:
        return f"lazy({str(self)!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, LazyString) else other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __len__(self) -> int:
        return len(str(self))

    def __add__(self, other: str) -> str:
        return str(self) + str(other)

    def __radd__(self, other: str) -> str:
        return str(other) + str(self)

    def __mod__(self, other: Any) -> str:
        return str(self) % other

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def __getattr__(self, name: str) -> Any:  # .format(), .upper(), .split(), ...
        return getattr(str(self), name)


def lazy_gettext(message: str) -> LazyString:
    return LazyString(gettext_, message)


def lazy_pgettext(context: str, message: str) -> LazyString:
    return LazyString(pgettext, context, message)


# =========================================================================== the language

def language() -> str:
    """The current language code (``en``, ``es``, ``en_XA``)."""
    return _language


def available_languages(folder: Path | None = None) -> list[str]:
    """English and every language with a compiled catalog (the pseudo-locale only when it
    has been built with ``make pseudo``)."""
    found = {DEFAULT}
    for top in localedirs(folder):
        if top.is_dir():
            found |= {d.name for d in top.iterdir()
                      if (d / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()}
    return sorted(found)


def normalize(tag: str) -> str:
    """``es_ES.UTF-8`` / ``es-MX`` / ``ES`` -> ``es_ES`` / ``es_MX`` / ``es``."""
    tag = tag.strip().split(".")[0].split("@")[0].replace("-", "_")
    lang, _sep, region = tag.partition("_")
    return lang.lower() + (f"_{region.upper()}" if region else "")


def _match(tag: str, available: Iterable[str]) -> str | None:
    """``tag`` itself, else its language without the region, if hipmap has it."""
    have = set(available)
    code = normalize(tag)
    if not code or code in ("c", "posix") or code == PSEUDO:
        return None  # the pseudo-locale only when asked for by name
    if code in have:
        return code
    base = code.split("_")[0]
    return base if base in have else None


def system_languages(environ: Mapping[str, str] | None = None) -> list[str]:
    """The user's preferred languages as the system states them, best first (``LANGUAGE``,
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; on Windows the user's display language). The
    desktop app adds Qt's own list (QLocale.uiLanguages), which knows macOS's settings."""
    env = os.environ if environ is None else environ
    out: list[str] = []
    if env.get("LANGUAGE"):
        out += [t for t in env["LANGUAGE"].split(":") if t]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var):
            out.append(env[var])
            break
    if sys.platform == "win32" and not out:  # pragma: no cover - Windows only
        try:
            import ctypes
            import locale

            lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
            if lcid in locale.windows_locale:
                out.append(locale.windows_locale[lcid])
        except (AttributeError, OSError):
            pass
    return out


def choose_language(requested: str | None = None, *, environ: Mapping[str, str] | None = None,
                    system: Sequence[str] | None = None, folder: Path | None = None) -> str:
    """The language to use: ``requested`` (``--lang``), else ``HIPMAP_LANG``, else the first
    system language hipmap has, else English. An explicit language hipmap does not have is
    bad input (:class:`LanguageError`: one line, exit 2) — never a silent switch to English."""
    env = os.environ if environ is None else environ
    have = available_languages(folder)
    for source, tag in (("--lang", requested), ("HIPMAP_LANG", env.get("HIPMAP_LANG"))):
        if tag:
            code = _match(tag, have) if normalize(tag) != normalize(PSEUDO) else (
                PSEUDO if PSEUDO in have else None)
            if code is None:
                raise LanguageError(f"{source} {tag}: hipmap has no such language "
                                 f"(it has: {', '.join(have)})")
            return code
    for tag in [*(system or ()), *system_languages(env)]:
        code = _match(tag, have)
        if code is not None:
            return code
    return DEFAULT


def set_language(code: str | None, *, folder: Path | None = None) -> str:
    """Make ``code`` the current language (``None``: English) and return it. A language
    without a catalog (English) reads the texts as written."""
    global _translation, _language
    code = normalize(code) if code else DEFAULT
    if code == normalize(PSEUDO):
        code = PSEUDO
    _translation = gettext.NullTranslations()
    if code != DEFAULT:
        chain: list[gettext.NullTranslations] = []
        for domain in DOMAINS:  # the main catalog first, then the kiosk's as its fallback
            for top in localedirs(folder):
                found = gettext.find(domain, str(top), languages=[code])
                if found:
                    with open(found, "rb") as fh:
                        chain.append(gettext.GNUTranslations(fh))
                    break
        if chain:
            _translation = chain[0]
            for more in chain[1:]:
                _translation.add_fallback(more)
    _language = code
    return code


__all__ = [
    "DEFAULT", "DOMAIN", "DOMAINS", "KIOSK_DOMAIN", "LANGUAGES", "N_", "PSEUDO", "LanguageError",
    "LazyString", "_",
    "available_languages", "choose_language", "gettext_", "language", "lazy_gettext",
    "lazy_pgettext", "localedir", "localedirs", "ngettext", "normalize", "npgettext",
    "pgettext", "set_language", "system_languages",
]
