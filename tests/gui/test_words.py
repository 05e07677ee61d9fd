"""Issue 12, finding 6: human words everywhere — the undo steps, the file name offered, and
one name per cause on every surface (app, CLI, PDF, FHIR).

The names of a cause (docs/ui.md, "One name per cause"): its ``short_name`` labels its line
of a ranking — the app's chart and Cause list, the CLI's and the PDF's ranked lines; its
``name`` is the cause itself wherever it is named in full — under that line in the CLI and
the PDF, the app's evidence heading and the Cause list's tooltip, FHIR's display; its
``plain_name`` is for the patient's screens only.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from guihelpers import drag, vertical_line
from PySide6.QtCore import Qt

from hipmap.cli import main
from hipmap.core.ids import ANSWERS
from hipmap.knowledge.texts import cause_name, cause_short
from hipmap.report.text import DETAILED_CAUSES
from hipmap.ui.files.controller import suggested_stem

EX = Path(__file__).resolve().parents[2] / "examples"
ID_LIKE = re.compile(r"\b[a-z]+_[a-z_]+\b")  # worse_cough_sneeze, right.posterior_thigh


def _undo(win) -> str:
    return win.menu_actions.undo.text()


def test_undo_steps_are_said_in_words_with_the_patients_side(make_window):
    win = make_window()
    va = win.atlas.view("back")
    x, y = va.regions["right.posterior_thigh"].geom.representative_point().coords[0]
    drag(win.canvas, "back", vertical_line(x, y - 30, y + 30))
    assert _undo(win) == "Undo Stroke on RIGHT back of the thigh"
    win.region_list.set_ticked("left.lateral_hip", True)
    assert _undo(win) == "Undo Tick LEFT outer hip"
    win.editor.set_answer("worse_cough_sneeze", True)
    assert _undo(win) == (f"Undo Answer: {ANSWERS['worse_cough_sneeze'][2]} — yes")
    win.questions.rows["duration_days"].spin.setValue(3)
    win.questions.rows["duration_days"].spin.setValue(30)  # typed: one step, its last value
    assert _undo(win) == f"Undo Answer: {ANSWERS['duration_days'][2]} — 30"
    win.patient_header.age.setValue(5)
    win.patient_header.age.setValue(58)
    assert _undo(win) == "Undo Set the age to 58"
    # a stroke across several regions names the most painted one and counts the others
    bx, by = va.regions["right.buttock"].geom.representative_point().coords[0]
    _lx, ly = va.regions["right.posterior_leg"].geom.representative_point().coords[0]
    drag(win.canvas, "back", vertical_line(bx, by, ly))
    assert re.fullmatch(r"Undo Stroke on RIGHT [a-z ]+ and \d+ more regions", _undo(win))
    steps = [win.stack.text(i) for i in range(win.stack.count())]
    assert len(steps) == 6
    for step in steps:
        assert not ID_LIKE.search(step), step
    win.menu_actions.undo.trigger()
    assert win.menu_actions.redo.text().startswith("Redo Stroke on RIGHT ")
    win.stack.setClean()


def test_the_file_name_offered_is_the_patient_and_the_day(make_window, monkeypatch):
    assert suggested_stem("P-0042", "2026-12-01T09:30:00Z") == "P-0042_2026-12-01"
    assert suggested_stem("a/b: c*?", "2026-12-01T09:30:00Z") == "a-b-c_2026-12-01"
    assert suggested_stem(None, None, date(2026, 12, 2)) == "pain-drawing_2026-12-02"
    assert suggested_stem("../..", "nonsense", date(2026, 12, 2)) == "pain-drawing_2026-12-02"
    win = make_window()
    win.patient_header.pid.setText("P-0042")
    win.patient_header.pid.editingFinished.emit()
    win.model.set_recorded_at("2026-12-01T09:30:00Z")
    offered = []
    from PySide6.QtWidgets import QFileDialog

    def fake(parent, title, start, *filters):
        offered.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    assert not win.files.save_as()
    assert not win.files.export_png()
    assert Path(offered[0]).name == "P-0042_2026-12-01.hipmap.json"
    assert Path(offered[1]).name == "P-0042_2026-12-01.png"
    win.stack.setClean()


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", out).split())  # (the "ﬁ" ligature)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (.ci/run installs it)")
def test_one_name_per_cause_in_the_app_the_cli_the_pdf_and_fhir(make_window, tmp_path,
                                                                 capsys):
    """Finding 6: the CLI said "Lumbosacral radiculopathy" where the app said "Sciatica"."""
    src = EX / "sciatica.hipmap.json"
    win = make_window(size=(1920, 1080))
    assert win.files.open_file(str(src))
    kb, a = win.kb, win.model.assessment()
    shown = [r.cause for r in a.ranking][:DETAILED_CAUSES]  # the CLI names these in full
    # the app: the chart's labels, the Cause list and its tooltips, the evidence heading
    chart = win.assessment_panel.chart
    ticks = [t.removeprefix("▶ ") for level in chart.plot.getPlotItem().getAxis(
        "left")._tickLevels for _v, t in level]
    combo = win.assessment_panel.cause_combo
    # the CLI
    assert main(["assess", str(src)]) == 0
    cli = " ".join(capsys.readouterr().out.split())
    # the PDF
    assert main(["report", str(src), "-o", str(tmp_path / "r.pdf")]) == 0
    pdf = _pdf_text(tmp_path / "r.pdf")
    # FHIR
    assert main(["export", "--fhir", str(src), "-o", str(tmp_path / "f.json")]) == 0
    bundle = json.loads((tmp_path / "f.json").read_text())
    fhir = {c["code"]: c["display"] for e in bundle["entry"]
            for p in e["resource"].get("prediction", [])
            for c in p["outcome"]["coding"]}
    for cause in shown:
        short, name = cause_short(kb, cause), cause_name(kb, cause)
        assert short in ticks, (cause, ticks)
        i = combo.findData(cause)
        assert combo.itemText(i) == short
        assert combo.itemData(i, Qt.ItemDataRole.ToolTipRole) == name
        win.assessment_panel.select(cause)
        assert win.evidence.toPlainText().startswith(name)
        assert re.search(rf"\d+\. {re.escape(short)} .*?{re.escape(name)}", cli), cause
        assert short in pdf and name in pdf, cause
        assert fhir[cause] == name, cause
