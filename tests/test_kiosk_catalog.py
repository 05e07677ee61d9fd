"""The kiosk's own catalog (``hipmap_kiosk``) in the one translation mechanism: chained as the
main catalog's gettext fallback, extracted from hipmap/ui/kiosk only, compiled and checked by
the same tools (make pot / po / mo / pseudo)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from hipmap import i18n

ROOT = Path(__file__).resolve().parents[1]


def _tools():
    spec = importlib.util.spec_from_file_location("hipmap_i18n_tools", ROOT / "tools" / "i18n.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def test_spanish_reads_the_kiosk_catalog_after_the_main_one():
    i18n.set_language("es")
    assert i18n._("Where does it hurt?") == "¿Dónde le duele?"
    assert i18n.pgettext("the patient's own side, at the kiosk", "Your\nRIGHT") == "Su\nDERECHA"
    assert i18n._("not a text hipmap has") == "not a text hipmap has"


def test_the_main_catalog_wins_and_the_kiosk_one_is_its_fallback(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    for domain, pairs in (("hipmap", {"Back": "Zurück (main)"}),
                          ("hipmap_kiosk", {"Back": "Zurück (kiosk)", "Send": "Senden"})):
        cat = Catalog(locale="de", domain=domain)
        for k, v in pairs.items():
            cat.add(k, v)
        with open(folder / f"{domain}.mo", "wb") as fh:
            write_mo(fh, cat)
    i18n.set_language("de", folder=tmp_path)
    assert i18n._("Back") == "Zurück (main)" and i18n._("Send") == "Senden"


def test_the_kiosk_texts_are_in_their_own_template_and_only_there():
    t = _tools()
    kiosk = {m.id for m in t.extract(domain=t.KIOSK_DOMAIN) if m.id}
    main = {m.id for m in t.extract() if m.id}
    assert "Where does it hurt?" in kiosk and "Where does it hurt?" not in main
    files = {loc[0] for m in t.extract(domain=t.KIOSK_DOMAIN) for loc in m.locations}
    assert files and all(f.startswith("hipmap/ui/kiosk/") for f in files)


def test_the_kiosk_catalogs_match_the_code_and_the_mo_its_po():
    t = _tools()
    path = t.TEMPLATES[t.KIOSK_DOMAIN][0]
    assert t._domain_problems(t.KIOSK_DOMAIN, path, t.extract(domain=t.KIOSK_DOMAIN)) == []


def test_the_pseudo_locale_covers_the_kiosk(tmp_path):
    t = _tools()
    t.write_pseudo_all(tmp_path)
    assert (tmp_path / "en_XA" / "LC_MESSAGES" / "hipmap_kiosk.mo").is_file()
    i18n.set_language("en_XA", folder=tmp_path)
    out = i18n._("Where does it hurt?")
    assert out.startswith("[") and "Where" not in out
