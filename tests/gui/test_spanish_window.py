"""Every screen of the clinician window in Spanish, at 1366x768 and 1920x1080: the screens,
menus and dialogs that the pseudo-locale test walks (test_pseudo_locale._every_screen), with
the Spanish catalog and a check for English left (tests/english_left.py) in place of the
pseudo-locale's unaccented-word check. Nothing untranslated, nothing cut sideways, nothing
sticking out, and (unlike the pseudo-locale, whose strict xfail tracks the issue-12 layout
limit) nothing squeezed by the window's height either.

Screenshots: tests/screenshots/es_*.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import test_pseudo_locale as walk
from guihelpers import save_screenshot
from PySide6.QtCore import QCoreApplication

from hipmap import i18n

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from english_left import english_left, untranslated


@pytest.fixture
def spanish(monkeypatch, qapp):
    from hipmap.ui.app import install_qt_translations

    assert i18n.set_language("es") == "es"
    install_qt_translations(qapp, "es")
    monkeypatch.setattr(walk, "untranslated", untranslated)
    monkeypatch.setattr(walk, "save_screenshot",
                        lambda w, name: save_screenshot(w, name.replace("pseudo_", "es_")))
    yield
    install_qt_translations(qapp, "en")
    i18n.set_language(None)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_every_screen_is_spanish_and_nothing_is_cut_off(spanish, make_window, tmp_path, size):
    win = make_window(size=size)
    assert win.width() == size[0]
    assert QCoreApplication.translate("QPlatformTheme", "Save") == "Guardar"  # Qt's own
    squeezed: list[str] = []
    problems = walk._every_screen(win, tmp_path, size, squeezed)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    # unlike the pseudo-locale's ~35 % longer texts, the Spanish fits the window's height too
    assert not squeezed, f"{len(squeezed)} squeezed:\n" + "\n".join(squeezed)
    # the side labels the clinician reads on the canvas and in the region list
    assert i18n.pgettext("pinned side label", "patient's RIGHT") == "DERECHA del paciente"
    assert i18n.pgettext("diagram label", "LEFT") == "IZQUIERDA"


def test_the_check_finds_english_on_a_spanish_screen(spanish, make_window):
    """The walker with the Spanish check reports an English text and a clipped label."""
    from PySide6.QtWidgets import QLabel

    win = make_window(size=(1366, 768))
    win.tools_panel.clear_all_button.setText("Clear all")
    label = QLabel(i18n._("Clear view") * 3, win.tools_panel)
    label.setGeometry(0, 0, 40, 20)
    label.show()
    problems: list[str] = []
    walk._check(win, "probe", walk._allowed(win), problems)
    assert any("untranslated" in p and "Clear all" in p for p in problems), problems
    assert any("clipped" in p for p in problems)
    assert english_left("Borrar la vista") == [] and untranslated("Clear all") == "Clear"


def test_the_verdict_says_the_screening_reason_once(spanish, make_window):
    win = make_window(size=(1366, 768))
    win.editor.set_answer("leg_pain_worse_than_back", True)
    text = win.assessment_panel.urgency.text()
    assert "Cribado de banderas rojas incompleto" in text
    assert text.count("Pregunte por:") == 1, text


def test_numbers_with_a_fraction_are_written_with_a_decimal_comma(spanish, make_window):
    """An intensity of 6.5 is "6,5" in the region list, its tooltip and the undo steps."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    from hipmap.core.document import RegionMark
    from hipmap.model.edits import AddMarks

    win = make_window(size=(1366, 768))
    win.editor.push(AddMarks("x", [RegionMark("right.groin", 6.5)]))
    win.editor.set_age(58.5)
    win.editor.set_answer("duration_days", 2.5)
    it = QTreeWidgetItemIterator(win.region_list.tree)
    painted = []
    while it.value():
        if it.value().text(1):
            painted.append((it.value().text(1), it.value().toolTip(1)))
        it += 1
    assert painted and all("6,5" in text and "6.5" not in text for text, _ in painted)
    assert all("intensidad 6,5/10" in tip for _, tip in painted), painted
    steps = [win.editor.stack.text(i) for i in range(win.editor.stack.count())]
    assert any("58,5" in s for s in steps) and any("2,5" in s for s in steps), steps
    assert not any("58.5" in s or "2.5" in s for s in steps), steps
