"""hipmap's translation catalogs, built with Babel (the ``make pot | po | mo | pseudo`` targets).

    python tools/i18n.py pot      # extract every marked text into hipmap/locale/hipmap.pot
                                  # (and the kiosk's into hipmap/locale/hipmap_kiosk.pot)
    python tools/i18n.py po       # update (or start) hipmap/locale/<lang>/LC_MESSAGES/*.po
    python tools/i18n.py mo       # compile each .po into the .mo shipped beside it
    python tools/i18n.py pseudo   # the pseudo-locale en_XA (accented, ~35 % longer), not shipped
    python tools/i18n.py check    # exit 1 when the template or a .mo is out of date

What is extracted is set by ``babel.cfg`` at the top of the repository: hipmap's Python files
with the keywords of :data:`KEYWORDS` (``_``, ``ngettext``, ``pgettext``, ``N_``,
``lazy_gettext`` …) and the knowledge-base texts through their own extractor. The ``.mo``
files are committed (see hipmap/i18n/__init__.py for why); ``check`` (run by the tests)
keeps them honest.

Two catalogs per language, in one mechanism: ``hipmap`` (everything but the kiosk; babel.cfg
leaves hipmap/ui/kiosk out) and ``hipmap_kiosk`` (hipmap/ui/kiosk only, babel_kiosk.cfg), which
hipmap.i18n chains as the main catalog's gettext fallback. Every step handles both.
"""

from __future__ import annotations

import argparse
import io
import math
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "hipmap" / "locale"
TEMPLATE = LOCALE / "hipmap.pot"
MAPPING = ROOT / "babel.cfg"
DOMAIN = "hipmap"
KIOSK_DOMAIN = "hipmap_kiosk"
#: domain -> (its template, the Babel mapping that says what is extracted into it)
TEMPLATES = {DOMAIN: (TEMPLATE, MAPPING),
             KIOSK_DOMAIN: (LOCALE / f"{KIOSK_DOMAIN}.pot", ROOT / "babel_kiosk.cfg")}
#: Languages with a catalog in the repository (English is the source: none): Spanish, every
#: template translated.
CATALOGS = ("es",)
PSEUDO = "en_XA"

KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_": None, "lazy_gettext": None,
            "lazy_pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ("TRANSLATORS:",)


# ================================================================================ extraction

def extract(root: Path = ROOT, mapping: Path | None = None, domain: str = DOMAIN) -> Catalog:
    """A fresh template of every marked text under ``root`` for ``domain`` (as ``make pot``
    writes it)."""
    mapping = mapping or TEMPLATES[domain][1]
    with open(mapping, encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, filename=str(mapping))
    catalog = Catalog(project="hipmap", domain=domain, msgid_bugs_address="",
                      copyright_holder="hipmap contributors", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS, strip_comment_tags=True,
            directory_filter=lambda d: not Path(d).name.startswith((".", "build", "dist"))):
        path = Path(filename).as_posix()
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def _messages(catalog: Catalog) -> set[tuple[str | None, object]]:
    return {(m.context, m.id) for m in catalog if m.id}


def write_template(catalog: Catalog, path: Path = TEMPLATE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=96, sort_output=True, omit_header=False,
                 include_lineno=False)  # no line numbers: moving code keeps the file still


def po_path(lang: str, folder: Path = LOCALE, domain: str = DOMAIN) -> Path:
    return folder / lang / "LC_MESSAGES" / f"{domain}.po"


def update_po(lang: str, template: Catalog, folder: Path = LOCALE,
              domain: str = DOMAIN) -> Path:
    """Start or update ``lang``'s catalog from the template (translations kept)."""
    path = po_path(lang, folder, domain)
    if path.is_file():
        with open(path, "rb") as fh:
            catalog = read_po(fh, locale=lang, domain=domain)
        catalog.update(template, update_header_comment=False)
    else:
        catalog = Catalog(locale=lang, domain=domain, project="hipmap",
                          copyright_holder="hipmap contributors")
        catalog.update(template)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=96, sort_output=True, include_lineno=False,
                 ignore_obsolete=True)
    return path


def mo_bytes(po: Path, locale: str | None = None) -> bytes:
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=locale or po.parents[1].name, domain=po.stem)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compile_mo(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    mo.write_bytes(mo_bytes(po))
    return mo


# ================================================================================ pseudo-locale

_UPPER = "ÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
_LOWER = "áƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýž"
ACCENTS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                        _UPPER + _LOWER)
#: what must reach the screen untouched: format fields, printf fields, HTML tags and
#: entities, Qt's literal '&&'
_PROTECTED = re.compile(r"(\{[^{}]*\}|%\([a-z_]+\)[sdgf]|%[sdgf]|<[^<>]*>|&[a-zA-Z]+;|&#\d+;|&&)")
EXPANSION = 0.35


def pseudo(text: str) -> str:
    """``"Save {n} drawings"`` -> ``"[Šávé {n} ðŕáŵîñĝš~~~~~]"``: every letter accented (so
    a plain ASCII word on screen is an untranslated one), about 35 % longer, bracketed (so
    a cut-off end shows). Placeholders, markup and entities are kept as they are."""
    if not text.strip():
        return text
    parts = _PROTECTED.split(text)
    letters = 0
    for i in range(0, len(parts), 2):  # the even parts are text, the odd ones protected
        letters += sum(c.isalpha() for c in parts[i])
        parts[i] = parts[i].translate(ACCENTS)
    pad = "~" * max(1, math.ceil(letters * EXPANSION))
    body = "".join(parts)
    lead = len(body) - len(body.lstrip())
    trail = len(body) - len(body.rstrip())
    core = body.strip()
    return body[:lead] + f"[{core}{pad}]" + (body[len(body) - trail:] if trail else "")


def pseudo_catalog(template: Catalog, domain: str = DOMAIN) -> Catalog:
    catalog = Catalog(locale="en", domain=domain, project="hipmap")
    for m in template:
        if not m.id:
            continue
        if isinstance(m.id, tuple | list):
            catalog.add(m.id, tuple(pseudo(s) for s in m.id), context=m.context)
        else:
            catalog.add(m.id, pseudo(m.id), context=m.context)
    return catalog


def write_pseudo(template: Catalog, folder: Path, domain: str = DOMAIN) -> Path:
    """The pseudo-locale's .po and .mo of ``domain`` under ``folder/en_XA/LC_MESSAGES``."""
    path = po_path(PSEUDO, folder, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog = pseudo_catalog(template, domain)
    with open(path, "wb") as fh:
        write_po(fh, catalog, width=96, sort_output=True, include_lineno=False)
    with open(path.with_suffix(".mo"), "wb") as fh:
        write_mo(fh, catalog)
    return path


def write_pseudo_all(folder: Path) -> list[Path]:
    """The pseudo-locale of every domain (the main catalog and the kiosk's) under ``folder``."""
    return [write_pseudo(extract(domain=d), folder, d) for d in TEMPLATES]


# ================================================================================ checks

#: a gettext call inside an f-string's braces: f"<b>{_('Sources')}</b>"
_IN_FSTRING = re.compile(r"""\bf['"].*?\{[^}]*\b(_|gettext_|n?p?gettext)\(\s*['"]""")


def hidden_in_fstrings(root: Path = ROOT / "hipmap") -> list[str]:
    """Marked texts written inside an f-string: Babel's extractor cannot see them on Python
    3.11 (the f-string is one token), so they would never reach the catalog."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if _IN_FSTRING.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}")
    return found


def problems(template: Catalog | None = None) -> list[str]:
    """What is out of date: each committed template against the code, each .mo against its
    .po; and marked texts the extractor cannot see. Empty when all is well. ``template``:
    a fresh main template already extracted (the kiosk's is extracted here)."""
    out: list[str] = []
    hidden = hidden_in_fstrings()
    if hidden:
        out.append(f"{len(hidden)} marked text(s) inside f-strings, never extracted (Python "
                   f"3.11): move the _() call out of the braces: {', '.join(hidden[:8])}")
    for domain, (path, _mapping) in TEMPLATES.items():
        fresh = template if (template is not None and domain == DOMAIN) else extract(
            domain=domain)
        out += _domain_problems(domain, path, fresh)
    return out


def _domain_problems(domain: str, template_path: Path, fresh: Catalog) -> list[str]:
    out: list[str] = []
    name = template_path.name
    if not template_path.is_file():
        return [f"{template_path.relative_to(ROOT)} is missing: run make pot po mo"]
    with open(template_path, "rb") as fh:
        committed = read_po(fh, domain=domain)
    missing = sorted(_messages(fresh) - _messages(committed), key=str)
    stale = sorted(_messages(committed) - _messages(fresh), key=str)
    if missing:
        out.append(f"{len(missing)} marked text(s) not in {name}, e.g. {missing[0][1]!r}: "
                   "run make pot po mo")
    if stale:
        out.append(f"{len(stale)} text(s) in {name} no longer in the code, e.g. "
                   f"{stale[0][1]!r}: run make pot po mo")
    for lang in CATALOGS:
        po = po_path(lang, domain=domain)
        if not po.is_file():
            out.append(f"{po.relative_to(ROOT)} is missing: run make po mo")
            continue
        with open(po, "rb") as fh:
            cat = read_po(fh, locale=lang, domain=domain)
        if _messages(cat) != _messages(committed):
            out.append(f"{po.relative_to(ROOT)} does not match {name}: run make po mo")
        mo = po.with_suffix(".mo")
        if not mo.is_file() or mo.read_bytes() != mo_bytes(po):
            out.append(f"{mo.relative_to(ROOT)} does not match its .po: run make mo")
    return out


def main(argv: Iterable[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("step", choices=("pot", "po", "mo", "pseudo", "check"))
    p.add_argument("--folder", type=Path, default=LOCALE,
                   help="where the pseudo-locale is written (default: hipmap/locale)")
    args = p.parse_args(list(argv) if argv is not None else None)
    if args.step == "pot":
        for domain, (path, _mapping) in TEMPLATES.items():
            template = extract(domain=domain)
            write_template(template, path)
            print(f"{path.relative_to(ROOT)}: {len(template)} messages")
    elif args.step == "po":
        for domain, (path, _mapping) in TEMPLATES.items():
            with open(path, "rb") as fh:
                template = read_po(fh, domain=domain)
            for lang in CATALOGS:
                print(update_po(lang, template, domain=domain).relative_to(ROOT))
    elif args.step == "mo":
        for domain in TEMPLATES:
            for lang in CATALOGS:
                print(compile_mo(po_path(lang, domain=domain)).relative_to(ROOT))
    elif args.step == "pseudo":
        for path in write_pseudo_all(args.folder):
            print(f"{path} (and .mo)")
        print(f"try  HIPMAP_LOCALE_DIR={args.folder} hipmap --lang {PSEUDO}")
    else:
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
