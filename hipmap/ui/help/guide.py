"""Help → Guide: a short guide to the clinician window (what to do, what the scores mean,
what hipmap does not do), the keyboard shortcuts — read from the window's own actions, so
the list cannot fall out of date — and links to the README's sections.

hipmap makes no network call: the README links open the README that came with hipmap (a
source checkout's ``README.md``) in the user's own browser or viewer, on their click.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from hipmap.i18n import N_, _, ngettext

#: the README's sections the guide links to: (anchor, title as the README spells it)
README_SECTIONS = (
    ("using-the-app", N_("Using the app")),
    ("safety-triage", N_("Safety triage")),
    ("how-it-works", N_("How it works")),
    ("the-report-and-the-fhir-export", N_("The report and the FHIR export")),
    ("what-survives-a-crash-and-what-a-bad-file-gets",
     N_("What survives a crash, and what a bad file gets")),
    ("privacy", N_("Privacy")),
)


def readme_path() -> Path | None:
    """The README that came with hipmap (a source checkout or a bundle that keeps it)."""
    import hipmap

    here = Path(hipmap.__file__).resolve().parent
    for candidate in (here.parent / "README.md", here / "README.md"):
        if candidate.is_file():
            return candidate
    return None


def canvas_keys() -> list[tuple[str, str]]:
    """Keys the diagram and the region list understand that no menu lists."""
    return [
        (_("Mouse wheel, two-finger pinch"), _("Zoom the diagram")),
        (_("Middle button drag, or Space held while dragging"), _("Move the diagram")),
        (_("Esc while painting"), _("Drop the stroke being painted")),
        (_("Arrow keys in the region list"), _("Move between regions")),
        (_("Space in the region list"), _("Tick or untick the region (the whole region "
                                          "hurts)")),
        (_("Tab"), _("Move between the parts of the window")),
    ]


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action with a shortcut, in menu order."""
    rows = []
    for act in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            what = str(act.property("plainText") or act.text())
            what = what.replace("&&", "\0").replace("&", "").replace("\0", "&")
            rows.append((" / ".join(keys), what.rstrip("…").rstrip(".")))
    return rows


def shortcuts_html(actions: Iterable[QAction]) -> str:
    def table(rows: list[tuple[str, str]]) -> str:
        return "<table cellpadding='3'>" + "".join(
            f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(w)}</td></tr>"
            for k, w in rows) + "</table>"

    return ("<h2>{}</h2>".format(_("Keyboard shortcuts"))
            + table(shortcut_rows(actions))
            + "<h3>{}</h3>".format(_("On the diagram and in the region list"))
            + table(canvas_keys()))


def guide_html(causes: int, readme: Path | None = None) -> str:
    """The guide's text (HTML); ``causes``: how many causes the knowledge base ranks."""
    p = "<p>{}</p>".format
    li = "<li>{}</li>".format
    out = [
        "<h2>{}</h2>".format(_("hipmap in five steps")),
        p(_("<b>hipmap supports a clinician's judgement; it does not diagnose.</b> It maps "
            "where the patient says it hurts, ranks common causes of pain between the hip "
            "and the knee with the reasons for each, and never lets a red flag go "
            "unnoticed. The examination, the history and your judgement decide.")),
        "<ol>",
        li(_("<b>Red flags first.</b> Until the red-flag questions that matter for this "
             "drawing are answered, the urgency box says <i>Red-flag screening "
             "incomplete</i> in grey — never a reassurance — and <i>Ask next</i> lists those "
             "questions first. A red flag answered <i>yes</i> puts a red banner across the "
             "top of the window with what to do now; it stays until that answer changes, "
             "and it always wins over the ranking.")),
        li(_("<b>Paint where it hurts.</b> Choose the intensity (0–10) and the quality "
             "first, then paint on the diagram. RIGHT and LEFT are the patient's own sides, "
             "written large on every view. <i>Tap a region</i> fills a whole region for a "
             "patient who cannot draw; the region list does the same from the keyboard.")),
        li(_("<b>Answer the questions.</b> Every question offered in <i>Ask next</i> is "
             "answered where it is offered; <i>All questions</i> has every question, red "
             "flags first. The age in the patient header and \"How old are you?\" are one "
             "field.")),
        li(_("<b>See why.</b> Click a bar of the ranking, or choose a cause in the Cause "
             "list, for its evidence — each reason with its sources — and its referral "
             "territory drawn over the diagram.")),
        li(_("<b>Keep the record.</b> Save (the name offered is the patient id and the "
             "day), export a PNG or print the report. A recovery copy is kept as you work: "
             "after a crash hipmap offers the unsaved drawing at the next start.")),
        "</ol>",
        "<h3>{}</h3>".format(_("What the scores mean")),
        p(_("Each percentage is how well a cause fits <i>this drawing and these answers</i> "
            "compared with the other causes on the list, from likelihood ratios in a "
            "knowledge base where every number names its source. They add up to 100 % "
            "with <i>Other</i>: none of the listed causes fits well. They are never shown "
            "as 100 % or 0 %. A score is not the chance that the patient has that "
            "condition, and it moves as you paint and answer: a cause with a low score is "
            "not ruled out.")),
        p(_("Under each cause, the evidence says which answer or painted region made it "
            "more or less likely, and by how much; sources not yet checked against the "
            "publication are marked.")),
        "<h3>{}</h3>".format(_("What hipmap does not do")),
        "<ul>",
        li(_("It does not diagnose, examine the patient or replace imaging and tests.")),
        li(ngettext("It ranks {n} common cause and <i>Other</i>; a rare or serious cause "
                    "outside the list can only show as <i>Other</i> or as a red flag.",
                    "It ranks {n} common causes and <i>Other</i>; a rare or serious cause "
                    "outside the list can only show as <i>Other</i> or as a red flag.",
                    causes).format(n=causes)),
        li(_("It does not send anything anywhere: no network, no telemetry. Drawings stay "
             "on this computer or in your clinic's own database.")),
        "</ul>",
        "<h3>{}</h3>".format(_("More in the README")),
    ]
    if readme is not None:
        url = QUrl.fromLocalFile(str(readme))
        links = []
        for anchor, title in README_SECTIONS:
            url.setFragment(anchor)
            links.append(li(f"<a href='{html.escape(url.toString())}'>"
                            f"{html.escape(_(title))}</a>"))
        out += [p(_("These open the README that came with hipmap:")), "<ul>", *links, "</ul>"]
    else:
        out += [p(_("The README that came with hipmap explains more, in these sections:")),
                "<ul>", *(li(html.escape(_(t))) for _a, t in README_SECTIONS), "</ul>"]
    return "".join(out)


class GuideWindow(QDialog):
    """Help → Guide: the guide and the keyboard shortcuts, in two tabs; not modal (it can
    stay open beside the window)."""

    def __init__(self, parent: QWidget | None, actions: Iterable[QAction],
                 causes: int) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("hipmap guide"))
        self.setModal(False)
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.guide = self._browser(guide_html(causes, readme_path()), _("Guide"))
        self.shortcuts = self._browser(shortcuts_html(actions), _("Keyboard shortcuts"))
        self.tabs.addTab(self.guide, _("Guide"))
        self.tabs.addTab(self.shortcuts, _("Keyboard shortcuts"))
        lay.addWidget(self.tabs)
        self.resize(640, 620)

    @staticmethod
    def _browser(text: str, name: str) -> QTextBrowser:
        view = QTextBrowser()
        view.setOpenExternalLinks(True)  # the user's own browser, on their click
        view.setAccessibleName(name)
        view.setHtml(text)
        return view

    def show_shortcuts(self) -> None:
        self.tabs.setCurrentWidget(self.shortcuts)

    def show_guide(self) -> None:
        self.tabs.setCurrentWidget(self.guide)
