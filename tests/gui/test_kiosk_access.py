"""Made for fingers and older eyes, in plain words: target sizes, text sizes, contrast computed
from the palette, accessible names, the large-text switch, and the reading level of every
kiosk text (English: Flesch-Kincaid grade; Spanish: Fernández-Huerta) — measured offline."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from kioskhelpers import make_kiosk
from PySide6.QtWidgets import QAbstractButton, QLabel

from hipmap.i18n import set_language
from hipmap.ui.kiosk.selftest import drive_flow
from hipmap.ui.kiosk.style import PALETTE, TEXT_PAIRS, contrast

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "hipmap" / "locale"
#: texts only staff read (the PIN pad, the command line): not held to a patient's level
STAFF = re.compile(r"PIN|hipmap|kiosk|Staff|Leave the|Cancel|Delete the last|chosen|empty")


@pytest.fixture(autouse=True)
def english_after():
    yield
    set_language("en")


def test_every_text_colour_pair_has_at_least_4_5_to_1_contrast():
    for fg, bg in TEXT_PAIRS:
        assert contrast(PALETTE[fg], PALETTE[bg]) >= 4.5, (fg, bg)
    assert contrast("#777777", "#ffffff") < 4.5  # the computation can say no


@pytest.mark.parametrize("large", [False, True])
def test_targets_text_and_names_on_every_screen(qtbot, tmp_path, large):
    win, _rec = make_kiosk(qtbot, tmp_path)
    win.set_large(large)
    floor = 18 * (1.3 if large else 1.0) - 0.5
    checked = {"buttons": 0, "labels": 0}

    def look(flow):
        for w in win.findChildren(QAbstractButton):
            if not w.isVisible() or w is win.staff:
                continue
            checked["buttons"] += 1
            assert w.width() >= 48 and w.height() >= 48, (flow.step, w.objectName(), w.size())
            assert w.accessibleName().strip(), (flow.step, w.objectName())
            assert w.font().pointSizeF() >= floor, (flow.step, w.objectName())
        for w in win.findChildren(QLabel):
            if w.isVisible() and w.text().strip():
                checked["labels"] += 1
                assert w.font().pointSizeF() >= floor, (flow.step, w.objectName(), w.text())
    drive_flow(win, on_step=look)
    assert checked["buttons"] > 50 and checked["labels"] > 20
    assert win.staff.height() >= 48  # the staff corner is small, but a finger still hits it


def test_the_large_text_switch_makes_the_text_larger(qtbot, tmp_path):
    win, _rec = make_kiosk(qtbot, tmp_path)
    f = win.flow
    before = f.next_button.font().pointSizeF()
    f.large_button.click()
    assert win.large and f.next_button.font().pointSizeF() >= before * 1.25
    win.new_patient("language")  # kept for the next patient: it is the kiosk's setting
    assert win.flow.large_button.isChecked()


def _texts(lang: str | None) -> list[str]:
    path = (LOCALE / "hipmap_kiosk.pot" if lang is None
            else LOCALE / lang / "LC_MESSAGES" / "hipmap_kiosk.po")
    with open(path, "rb") as fh:
        cat = read_po(fh)
    out = []
    for m in cat:
        if not m.id or STAFF.search(m.id if isinstance(m.id, str) else m.id[0]):
            continue
        text = m.id if lang is None else m.string
        if isinstance(text, tuple | list):  # a plural: its "many" form
            text = text[-1]
        text = re.sub(r"\{[a-z]+\}", "3", text.replace("\n", " "))
        if len(text.split()) >= 4:  # sentences, not button words
            out.append(text)
    return out


def _textstat():
    import textstat

    assert "nltk" not in sys.modules  # the pinned version needs no download
    return textstat


def test_english_kiosk_texts_are_about_a_sixth_grade_reading_level():
    ts = _textstat()
    ts.set_lang("en")
    texts = _texts(None)
    assert len(texts) > 40
    grades = {t: ts.flesch_kincaid_grade(t) for t in texts}
    mean = sum(grades.values()) / len(grades)
    assert mean <= 6.5, mean
    hard = {t: g for t, g in grades.items() if g > 9}
    assert not hard, hard


def test_spanish_kiosk_texts_are_easy_by_the_fernandez_huerta_index():
    ts = _textstat()
    ts.set_lang("es")
    try:
        texts = _texts("es")
        assert len(texts) > 40
        scores = {t: ts.fernandez_huerta(t) for t in texts}
    finally:
        ts.set_lang("en")
    mean = sum(scores.values()) / len(scores)
    assert mean >= 70, mean  # 70-80 "bastante fácil", 80-90 "fácil"
    hard = {t: s for t, s in scores.items() if s < 40}  # one short sentence is noisy
    assert not hard, hard


def test_the_spanish_kiosk_uses_usted_and_the_words_patients_use():
    with open(LOCALE / "es" / "LC_MESSAGES" / "hipmap_kiosk.po", "rb") as fh:
        es = " ".join(" ".join(m.string) if isinstance(m.string, tuple | list) else m.string
                      for m in read_po(fh) if m.id).lower()
    assert "usted" in es and " tú " not in es and "tienes" not in es
    for word in ("ingle", "nalga", "pantorrilla"):
        assert word in es, word


def test_in_the_pseudo_locale_no_kiosk_text_is_left_in_english(qtbot, tmp_path, monkeypatch):
    """Every text the patient reads goes through the catalogs (the kiosk's and the main one):
    in the accented pseudo-locale no plain English word is left on any screen."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("t", ROOT / "tools" / "i18n.py")
    tools = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tools)
    folder = tmp_path / "locale"
    tools.write_pseudo_all(folder)
    monkeypatch.setenv("HIPMAP_LOCALE_DIR", str(folder))
    set_language("en_XA")
    monkeypatch.setattr("hipmap.ui.kiosk.flow.LANGUAGES", {"en_XA": "English", "es": "Español"})
    win, _rec = make_kiosk(qtbot, tmp_path, home="en_XA")
    allowed = {"English", "Espa", "hipmap", "PIN"}  # the language names in their own words
    left: set[str] = set()

    def look(flow):
        from kioskhelpers import visible_texts

        for t in visible_texts(win):
            for word in re.findall(r"[A-Za-z]{3,}", t):
                if word not in allowed:
                    left.add(f"{flow.step}: {word} in {t!r}")
    drive_flow(win, on_step=look, lang="en_XA")
    # the body map's region names come from the main catalog (hipmap.pot, regenerated by the
    # lead after the merge): only those may still be plain here
    assert not {x for x in left if "where" not in x.split(":")[0]}, sorted(left)[:10]
