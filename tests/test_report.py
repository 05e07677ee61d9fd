"""The report for the record (issue 9, finding 12): File → Print and ``hipmap report`` give
the same clinical document — urgency and red flags first, the drawing with a legend a
person can read, regions, answers, ranked causes with cited evidence, questions to ask next,
sources — with the patient id, the date and "page x of y" on every page; fonts embedded;
PDF/A-1b; no internal repository path as a source. Checked on the PDF itself with poppler
(pdftotext, pdffonts, pdfimages) and qpdf."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from hipmap.cli import main
from hipmap.core.document import load, loads
from hipmap.knowledge.assessment import assess, headline
from hipmap.knowledge.base import load_knowledge
from hipmap.report.clinical import SECTIONS, build_report, cause_title, public_source

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "examples"
TOOLS = ("pdftotext", "pdffonts", "pdfimages", "pdfinfo", "qpdf")
needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in TOOLS),
    reason="poppler-utils and qpdf are needed (.ci/run installs them)")

HEADINGS = {"Urgency": None, "Red flags": "Red flags — these come before any ranking",
            "The drawing": "The drawing", "Where it hurts": "Where it hurts",
            "Answers": "Answers", "Candidate causes": "Candidate causes, most likely first",
            "Ask next": "Ask next", "Sources": "Sources"}


def pdf_text(path: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return unicodedata.normalize("NFKC", out)  # the "fl" ligature back to two letters


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.pdf"
    assert main(["report", str(EX / "red_flag_cauda_equina.hipmap.json"), "-o", str(out)]) == 0
    return out


@needs_tools
@pytest.mark.gui
def test_every_section_is_there_in_order_urgency_and_red_flags_first(report_pdf):
    doc = load(EX / "red_flag_cauda_equina.hipmap.json")
    text = " ".join(pdf_text(report_pdf).split())
    a = assess(doc).to_json()
    positions = [text.index(" ".join(headline(a).split()))]  # the verdict, worded by knowledge
    for name in SECTIONS[1:]:
        positions.append(text.index(HEADINGS[name]))
    assert positions == sorted(positions)
    first = cause_title(load_knowledge(), a["ranking"][0]["cause"])[0]
    assert "cauda_equina" in text and text.index("cauda_equina") < text.index(f"1. {first}")
    assert "RIGHT back of the thigh" in text and "LEFT back of the thigh" in text
    assert "▲" in text  # cited evidence
    assert re.search(r"\[\d+(, \d+)*\]", pdf_text(report_pdf))  # with its reference numbers


@needs_tools
@pytest.mark.gui
def test_patient_date_and_page_x_of_y_on_every_page(report_pdf):
    n = pages(report_pdf)
    assert n >= 2
    for i in range(1, n + 1):
        page = pdf_text(report_pdf, i)
        assert "DEMO-06" in page and "2026-11-25 10:30 UTC" in page, i
        assert f"Page {i} of {n}" in page


@needs_tools
@pytest.mark.gui
def test_fonts_are_embedded_and_the_file_is_pdf_a_1b_and_sound(report_pdf):
    fonts = subprocess.run(["pdffonts", str(report_pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
    r = subprocess.run(["qpdf", "--check", str(report_pdf)], capture_output=True, text=True)
    assert r.returncode == 0 and "No syntax or stream encoding errors" in r.stdout
    data = report_pdf.read_bytes()
    assert re.search(rb"pdfaid:part[>=\"']+1", data) and \
        re.search(rb"pdfaid:conformance[>=\"']+B", data)
    assert b"/OutputIntents" in data


@needs_tools
@pytest.mark.gui
def test_the_legend_prints_at_seven_points_or_more(report_pdf):
    """Before: about 2 pt. Measured on the PDF: the legend image's pixel density."""
    from hipmap.ui.render import LEGEND_WIDTH

    listing = subprocess.run(["pdfimages", "-list", str(report_pdf)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    legend_px = round(LEGEND_WIDTH * 3)
    rows = [r.split() for r in listing if r.split()[3] == str(legend_px)]
    assert rows, listing
    y_ppi = float(rows[0][13])
    label_pt = 13 * 3 / y_ppi * 72  # the legend's labels are 13 units tall, rendered at 3x
    assert label_pt >= 7.0, label_pt


@needs_tools
@pytest.mark.gui
def test_no_internal_path_is_given_as_a_source(report_pdf):
    text = pdf_text(report_pdf)
    assert "shared/" not in text and ".md" not in text
    assert public_source("Lauffer 2024, as summarised in clinical-facts.md section 1.9",
                         "") == ("Lauffer 2024", None)
    assert public_source("X", "shared/seed.md") == ("X", None)
    assert public_source("Y", "https://doi.org/1") == ("Y", "https://doi.org/1")


def test_the_content_is_built_once_without_qt_and_says_what_is_missing():
    doc = loads(json.dumps({"format": "hipmap.drawing/1"}))
    c = build_report(doc, printed_at="2026-12-01 09:00 UTC")
    assert c.sections == list(SECTIONS)
    assert c.patient_line == "Patient not identified"
    assert c.date_line == "Date of drawing not recorded; printed 2026-12-01 09:00 UTC"
    assert "No questions answered yet" in c.html and "nothing painted" in c.html


def test_an_extra_cause_and_screening_fields_are_reported_not_crashed_on():
    doc = load(EX / "sciatica.hipmap.json")
    a = assess(doc).to_json()
    a["ranking"].append({"cause": "other", "score": 0.01, "evidence": []})
    a["screening"], a["unscreened"] = "incomplete", ["bowel_bladder", "saddle_numbness"]
    c = build_report(doc, a)
    assert cause_title(load_knowledge(), "other")[0] in c.html
    assert "Red-flag screening is incomplete" in c.html


@needs_tools
@pytest.mark.gui
@pytest.mark.parametrize("example", sorted(p.name for p in EX.glob("*.json")))
def test_every_example_reports_every_section_and_the_whole_ranking(example, tmp_path):
    out = tmp_path / "r.pdf"
    assert main(["report", str(EX / example), "-o", str(out)]) == 0
    text = " ".join(pdf_text(out).split())
    for name in SECTIONS[1:]:
        assert HEADINGS[name] in text, name
    doc = load(EX / example)
    assert f"{len(assess(doc).ranking)}. " in text  # the last cause is there too


@needs_tools
@pytest.mark.gui
def test_nothing_runs_off_the_page_even_with_a_long_patient_id(tmp_path):
    obj = json.loads((EX / "piriformis.hipmap.json").read_text())
    obj["patient"] = {"id": "X" * 60 + "-LONG-ID-" + "Y" * 31, "age": 33}
    src = tmp_path / "long.hipmap.json"
    src.write_text(json.dumps(obj))
    out = tmp_path / "r.pdf"
    assert main(["report", str(src), "-o", str(out)]) == 0
    html = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', html))
    assert right <= 595 - 15 * 72 / 25.4 + 1  # A4 width less the right margin, in points
