"""Qt's own texts (standard buttons, file and print dialogs) follow hipmap's language: the
QTranslator with qtbase_<lang>.qm, and the bundle keeps those catalogs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from hipmap import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_qt_dialog_buttons_follow_the_language(qapp):
    from hipmap.ui.app import install_qt_translations

    try:
        assert install_qt_translations(qapp, "es")
        assert QCoreApplication.translate("QPlatformTheme", "Save") == "Guardar"
        assert not install_qt_translations(qapp, "en")  # English: Qt's own texts
        assert QCoreApplication.translate("QPlatformTheme", "Save") == "Save"
        assert not install_qt_translations(qapp, i18n.PSEUDO)  # no Qt catalog: English
    finally:
        install_qt_translations(qapp, "en")


def test_the_bundle_keeps_qts_catalog_for_every_shipped_language():
    spec = importlib.util.spec_from_file_location("bundle_rules",
                                                  ROOT / "packaging" / "bundle_rules.py")
    rules = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rules)
    for lang in set(i18n.LANGUAGES) - {"en"}:
        assert f"qtbase_{lang}.qm" in rules.KEEP_QT_TRANSLATIONS
        assert not rules.unwanted(f"PySide6/Qt/translations/qtbase_{lang}.qm")
    assert rules.unwanted("PySide6/Qt/translations/qtbase_de.qm")
