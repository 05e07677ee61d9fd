"""File → Print gives the same clinical document as ``hipmap report`` (issue 9, finding 12:
before, Print put only the picture on the page)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from hipmap.cli import main

EX = Path(__file__).resolve().parents[2] / "examples"


def pages(path: Path) -> list[list[str]]:
    """Each page's lines (NFKC), without blank ones."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    out = unicodedata.normalize("NFKC", out)
    return [[ln for ln in page.splitlines() if ln.strip()] for page in out.split("\f")
            if page.strip()]


def content(path: Path) -> list[str]:
    """The words of the document without the page furniture (first and last line of each
    page): a printer's resolution may break pages a line earlier than the PDF's."""
    return " ".join(" ".join(p[1:-1]) for p in pages(path)).split()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (.ci/run installs it)")
def test_print_gives_the_same_document_as_the_report_command(make_window, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    path = tmp_path / "visit.hipmap.json"
    path.write_bytes((EX / "sciatica.hipmap.json").read_bytes())
    win = make_window()
    assert win.files.open_file(str(path))
    from PySide6.QtGui import QPageSize

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))  # the paper the CLI uses
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    n = win.print_to(printer)
    assert main(["report", str(path), "-o", str(tmp_path / "cli.pdf")]) == 0
    printed, cli = content(tmp_path / "printed.pdf"), content(tmp_path / "cli.pdf")
    assert printed == cli
    text = " ".join(printed)
    for heading in ("Red flags", "Where it hurts", "Answers", "Candidate causes", "Ask next",
                    "Sources"):
        assert heading in text
    printed_pages = pages(tmp_path / "printed.pdf")
    assert len(printed_pages) == n >= 2
    for i, page in enumerate(printed_pages, 1):  # the patient and the date on every page
        head = " ".join(page[:4])  # (text clipped at a page top can share its lines)
        assert "DEMO-01" in head and "2026-11-25 10:30 UTC" in head
        assert page[-1].rstrip().endswith(f"Page {i} of {n}")
