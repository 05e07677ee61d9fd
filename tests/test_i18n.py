"""The translation mechanism (hipmap.i18n, tools/i18n.py): the language choice of contract
§10, catalogs found and used, plural forms and contexts, lazy texts, the pseudo-locale, and
catalogs that match the code. Qt-free."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from hipmap import i18n
from hipmap.i18n import LanguageError, choose_language, set_language

ROOT = Path(__file__).resolve().parents[1]


def _tools():
    spec = importlib.util.spec_from_file_location("hipmap_tools_i18n", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def english():
    yield
    set_language(None)


@pytest.fixture
def catalogs(tmp_path, english):
    """A 'de' catalog with a plain text, a plural and a context, compiled with Babel."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    cat = Catalog(locale="de", domain="hipmap")
    cat.add("Save the pain drawing", "Schmerzzeichnung speichern")
    cat.add(("{n} unsaved drawing", "{n} unsaved drawings"),
            ("{n} ungespeicherte Zeichnung", "{n} ungespeicherte Zeichnungen"))
    cat.add("RIGHT", "RECHTS", context="patient's side")
    cat.add("RIGHT", "RICHTIG", context="answer")
    folder = tmp_path / "locale"
    (folder / "de" / "LC_MESSAGES").mkdir(parents=True)
    with open(folder / "de" / "LC_MESSAGES" / "hipmap.mo", "wb") as fh:
        write_mo(fh, cat)
    return folder


# ------------------------------------------------------------------------ choosing a language

def test_lang_beats_the_environment_which_beats_the_system(catalogs):
    env = {"HIPMAP_LANG": "en", "LANG": "de_DE.UTF-8"}
    assert choose_language("de", environ=env, folder=catalogs) == "de"
    assert choose_language(None, environ=env, folder=catalogs) == "en"
    assert choose_language(None, environ={"LANG": "de_DE.UTF-8"}, folder=catalogs) == "de"
    assert choose_language(None, environ={}, system=["de-AT", "en-US"], folder=catalogs) == "de"


def test_a_system_language_hipmap_does_not_have_means_english(catalogs):
    assert choose_language(None, environ={"LANG": "pt_BR.UTF-8"}, folder=catalogs) == "en"
    assert choose_language(None, environ={"LANG": "C"}, folder=catalogs) == "en"
    assert choose_language(None, environ={"LANGUAGE": "pt:de", "LANG": "pt_BR"},
                           folder=catalogs) == "de"  # the first one hipmap has


def test_an_explicit_language_hipmap_does_not_have_is_one_clear_error(catalogs):
    with pytest.raises(LanguageError, match=r"--lang fr: .*\(it has: de, en\)"):
        choose_language("fr", environ={}, folder=catalogs)
    with pytest.raises(LanguageError, match="HIPMAP_LANG fr"):
        choose_language(None, environ={"HIPMAP_LANG": "fr"}, folder=catalogs)


def test_the_pseudo_locale_is_never_taken_from_the_system(tmp_path):
    tools = _tools()
    tools.write_pseudo_all(tmp_path)
    assert choose_language(None, environ={"LANG": "en_XA"}, folder=tmp_path) == "en"
    assert choose_language("en_XA", environ={}, folder=tmp_path) == "en_XA"


def test_the_shipped_languages_have_compiled_catalogs_in_the_package():
    """The wheel, an editable install and the frozen app all read hipmap/locale."""
    assert set(i18n.LANGUAGES) <= set(i18n.available_languages())
    for lang in set(i18n.LANGUAGES) - {"en"}:
        assert (i18n.localedir() / lang / "LC_MESSAGES" / "hipmap.mo").is_file()


# ------------------------------------------------------------------------ using a catalog

def test_texts_plurals_and_contexts_are_translated_and_english_is_the_source(catalogs):
    assert set_language("de_DE", folder=catalogs) == "de_DE"
    assert i18n._("Save the pain drawing") == "Schmerzzeichnung speichern"
    assert i18n._("Not in the catalog") == "Not in the catalog"
    assert i18n.ngettext("{n} unsaved drawing", "{n} unsaved drawings", 1).format(n=1) == \
        "1 ungespeicherte Zeichnung"
    assert i18n.ngettext("{n} unsaved drawing", "{n} unsaved drawings", 3).format(n=3) == \
        "3 ungespeicherte Zeichnungen"
    assert i18n.pgettext("patient's side", "RIGHT") == "RECHTS"
    assert i18n.pgettext("answer", "RIGHT") == "RICHTIG"
    set_language(None)
    assert i18n._("Save the pain drawing") == "Save the pain drawing"
    assert i18n.ngettext("{n} unsaved drawing", "{n} unsaved drawings", 3) == \
        "{n} unsaved drawings"
    assert i18n.language() == "en"


def test_a_lazy_text_follows_the_language_it_is_read_in(catalogs):
    title = i18n.lazy_gettext("Save the pain drawing")
    side = i18n.lazy_pgettext("patient's side", "RIGHT")
    assert str(title) == "Save the pain drawing" and f"{side}!" == "RIGHT!"
    set_language("de", folder=catalogs)
    assert str(title) == "Schmerzzeichnung speichern"
    assert f"{side}!" == "RECHTS!" and side == "RECHTS" and side + "?" == "RECHTS?"
    assert i18n.N_("Save the pain drawing") == "Save the pain drawing"  # a marker only


def test_hipmap_locale_dir_adds_a_translators_catalog(catalogs, monkeypatch):
    monkeypatch.setenv("HIPMAP_LOCALE_DIR", str(catalogs))
    assert "de" in i18n.available_languages()
    set_language("de")
    assert i18n._("Save the pain drawing") == "Schmerzzeichnung speichern"


# ------------------------------------------------------------------------ the command line

def test_lang_is_accepted_before_and_after_the_command(capsys, english):
    from hipmap.cli import main

    example = str(ROOT / "examples" / "sciatica.hipmap.json")
    assert main(["--lang", "es", "assess", example]) == 0
    assert i18n.language() == "es"
    assert main(["assess", example, "--lang", "en"]) == 0
    assert i18n.language() == "en"
    assert main(["assess", example, "--lang=es", "--format", "json"]) == 0
    capsys.readouterr()


def test_an_unknown_language_is_one_line_and_exit_2(capsys, monkeypatch, english):
    from hipmap.cli import main

    example = str(ROOT / "examples" / "sciatica.hipmap.json")
    assert main(["--lang", "xx", "assess", example]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--lang xx" in err and "en, es" in err
    monkeypatch.setenv("HIPMAP_LANG", "xx")
    assert main(["causes"]) == 2
    assert "HIPMAP_LANG xx" in capsys.readouterr().err


def test_the_word_after_lang_is_not_taken_for_a_drawing_to_open():
    from hipmap.cli import _drawing_to_open

    args = ["--lang", "es"]
    assert _drawing_to_open(args) is None and args == ["--lang", "es"]


# ------------------------------------------------------------------------ the catalogs

def test_the_pseudo_locale_is_accented_longer_and_keeps_placeholders_and_markup():
    tools = _tools()
    out = tools.pseudo("Saved {path} — <b>{n}</b> marks &amp; 5 %(x)s Undo &&")
    assert "{path}" in out and "<b>{n}</b>" in out and "&amp;" in out and "%(x)s" in out
    assert "&&" in out
    assert not re.search(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}|<[^>]*>|&\w+;|%\(\w+\)s", "", out))
    sentence = "Paint where it hurts. RIGHT and LEFT are the patient's own sides."
    ratio = len(tools.pseudo(sentence)) / len(sentence)
    assert 1.3 <= ratio <= 1.4
    assert tools.pseudo("Yes").startswith("[") and tools.pseudo("Yes").endswith("]")


def test_the_committed_catalogs_match_the_code():
    """Every marked text is in hipmap.pot and in each language's .po, and each shipped .mo
    is its .po compiled (``make pot po mo`` after changing a text)."""
    assert _tools().problems() == []


def test_a_marked_text_inside_an_f_string_is_reported(tmp_path, monkeypatch):
    """Babel cannot see _("...") inside an f-string's braces on Python 3.11: the check says
    where, so the text is moved out instead of silently staying English."""
    tools = _tools()
    pkg = tmp_path / "hipmap"
    pkg.mkdir()
    (pkg / "m.py").write_text(
        "from hipmap.i18n import _\n"
        "ok = '<b>{}</b>'.format(_('Sources'))\n"
        "bad = f\"<b>{_('Sources')}</b>\"\n"
        "dynamic = f\"{_(name)}\"\n")
    monkeypatch.setattr(tools, "ROOT", tmp_path)
    assert tools.hidden_in_fstrings(pkg) == ["hipmap/m.py:3"]
