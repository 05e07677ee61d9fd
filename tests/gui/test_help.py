"""Issue 12, finding 7: Help had only About. Help → Guide (F1) and Help → Keyboard Shortcuts
open one guide window: what to do, what the scores mean, what hipmap does not do (red flags
first), every shortcut of the menus, and links to the README's sections that exist."""

from __future__ import annotations

import re
from pathlib import Path

from guihelpers import save_screenshot
from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from hipmap.ui.help.guide import README_SECTIONS, readme_path, shortcut_rows

ROOT = Path(__file__).resolve().parents[2]


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    s = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return s.replace(" ", "-")


def test_help_opens_the_guide_with_what_hipmap_does_not_do(make_window):
    win = make_window(size=(1366, 768))
    help_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Help")
    titles = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert titles == ["&Guide", "&Keyboard Shortcuts", "&About hipmap"]
    assert win.menu_actions.guide.shortcut() == QKeySequence(QKeySequence.StandardKey
                                                             .HelpContents)
    win.menu_actions.guide.trigger()
    guide = win.guide
    assert guide.isVisible() and not guide.isModal()
    assert guide.tabs.currentWidget() is guide.guide
    text = " ".join(guide.guide.toPlainText().split())
    for words in ("supports a clinician's judgement; it does not diagnose",
                  "Red flags first", "What the scores mean", "not the chance",
                  "What hipmap does not do", "no network", "RIGHT and LEFT are the "
                  "patient's own sides", f"It ranks {len(win.kb.causes)} common causes"):
        assert words in text, words
    # red flags come before painting and the scores
    assert text.index("Red flags first") < text.index("Paint where it hurts") < \
        text.index("What the scores mean")
    QApplication.processEvents()
    save_screenshot(guide, "help_guide")
    win.menu_actions.shortcuts.trigger()
    assert win.guide is guide and guide.tabs.currentWidget() is guide.shortcuts
    save_screenshot(guide, "help_shortcuts")


def test_the_shortcut_list_is_every_shortcut_of_the_menus(make_window):
    win = make_window()
    win.editor.set_answer("worse_sitting", True)  # the Undo action now names that step
    win.menu_actions.shortcuts.trigger()
    listed = " ".join(win.guide.shortcuts.toPlainText().split())
    rows = shortcut_rows(win.menu_actions.all())
    with_keys = [a for a in win.menu_actions.all() if not a.shortcut().isEmpty()]
    assert len(rows) == len(with_keys) >= 20
    for keys, what in rows:
        assert f"{keys} {what}" in listed, (keys, what)
    assert "Ctrl+Z Undo Ctrl+Shift+Z / Ctrl+Y Redo" in listed
    for keys in ("Ctrl+Z", "Ctrl+Shift+Z / Ctrl+Y", "Ctrl+1", "Ctrl+0", "[", "]", "D"):
        assert keys in listed, keys
    assert "Brush" in listed and "Tap a region" in listed and "Space in the region list" \
        in listed
    win.stack.setClean()


def test_the_guides_readme_links_go_to_sections_that_exist(make_window):
    readme = readme_path()
    assert readme == ROOT / "README.md"
    anchors = {_slug(line.lstrip("#")) for line in readme.read_text().splitlines()
               if line.startswith("#")}
    win = make_window()
    win.menu_actions.guide.trigger()
    html = win.guide.guide.toHtml()
    links = re.findall(r'href="([^"]+)"', html)
    assert len(links) == len(README_SECTIONS)
    for link in links:
        url = QUrl(link)
        assert url.isLocalFile() and Path(url.toLocalFile()) == readme  # no network
        assert url.fragment() in anchors, url.fragment()
    assert win.guide.guide.openExternalLinks()
