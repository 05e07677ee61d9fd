"""The clinical report on paper: ``hipmap report FILE -o OUT.pdf`` and File → Print.

The content comes from :func:`hipmap.report.clinical.build_report` (Qt-free, the same for
both); this module only lays it out on A4 pages and paints it, with a running head (the
patient id and the date) and "page x of y" on every page. The PDF is written as PDF/A-1b
(Qt's ``PdfVersion_A1b``: fonts embedded, XMP metadata with the PDF/A identification, an
sRGB output intent).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)

from hipmap.core.document import Document
from hipmap.i18n import _
from hipmap.report.clinical import (
    DIAGRAM_URL,
    LEGEND_URL,
    TITLE,
    ReportContent,
    build_report,
)
from hipmap.ui.render import ensure_gui_app, legend_image, render_document_image

MARGINS_MM = QMarginsF(15, 12, 15, 12)
HEAD_MM = 9.0  # running head band
FOOT_MM = 8.0  # page-number band


def report_html(doc: Document, a: dict[str, Any]) -> str:
    """The report's body as rich text (kept for callers of the first version)."""
    return build_report(doc, a).html


def report_pdf_bytes(doc: Document, assessment: dict[str, Any] | None = None) -> bytes:
    """The report as a PDF/A-1b file in memory (core.output writes it safely)."""
    ensure_gui_app()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_A1b)
    writer.setResolution(1200)  # as a HighResolution QPrinter: the same layout as Print
    writer.setTitle(_(TITLE))
    writer.setCreator("hipmap")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, MARGINS_MM,
                                     QPageLayout.Unit.Millimeter))
    paint_report(doc, writer, assessment)
    buf.close()
    return bytes(data.data())


def write_report_pdf(doc: Document, path: str, assessment: dict[str, Any] | None = None
                     ) -> None:
    from hipmap.core.output import verify_pdf, write_bytes

    write_bytes(path, report_pdf_bytes(doc, assessment), verify=verify_pdf)


def print_report(doc: Document, printer: Any, assessment: Any = None,
                 since: dict[str, Any] | None = None) -> int:
    """File > Print: the report on a printer, portrait with the report's margins."""
    from PySide6.QtGui import QPageLayout

    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
    return paint_report(doc, printer, assessment, since=since)


def paint_report(doc: Document, device: Any, assessment: dict[str, Any] | None = None,
                 content: ReportContent | None = None,
                 since: dict[str, Any] | None = None) -> int:
    """Lay the report out on ``device`` (a QPdfWriter or a QPrinter, portrait A4 or
    whatever the printer has); returns the number of pages."""
    ensure_gui_app()
    content = content or build_report(doc, assessment, since=since)
    res = device.resolution()
    page = QRectF(device.pageLayout().paintRectPixels(res))
    page.moveTo(0, 0)
    mm = res / 25.4
    head, foot = HEAD_MM * mm, FOOT_MM * mm
    body = QRectF(0, head, page.width(), page.height() - head - foot)

    text = QTextDocument()
    text.documentLayout().setPaintDevice(device)
    text.setDocumentMargin(0)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(9)
    text.setDefaultFont(font)
    option = text.defaultTextOption()  # a long unbroken id wraps instead of widening the page
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    text.setDefaultTextOption(option)
    text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(DIAGRAM_URL),
                     render_document_image(doc, scale=1.0, frame=False))  # ~320 dpi
    legend = legend_image()
    text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(LEGEND_URL), legend)
    # rich-text image sizes are in 96-dpi pixels, scaled to the device by Qt
    width_px = int(body.width() * 96 / device.logicalDpiX())
    html = content.html.replace(f"src='{LEGEND_URL}'", f"src='{LEGEND_URL}' width='{width_px}'")
    html = html.replace(f"src='{DIAGRAM_URL}' width='100%'",
                        f"src='{DIAGRAM_URL}' width='{width_px}'")
    text.setHtml(html)
    text.setPageSize(QSizeF(body.width(), body.height()))
    text.size()  # lay the whole document out now (Qt lays out lazily, block by block)
    _keep_blocks_whole(text, body.height())
    pages = max(1, text.pageCount(), math.ceil(text.size().height() / body.height() - 1e-6))

    p = QPainter(device)
    try:
        for i in range(pages):
            if i:
                device.newPage()
            _running_head(p, content, QRectF(0, 0, page.width(), head), mm)
            _footer(p, i + 1, pages, QRectF(0, page.height() - foot, page.width(), foot), mm)
            p.save()
            p.translate(0, head - i * body.height())
            text.drawContents(p, QRectF(0, i * body.height(), body.width(), body.height()))
            p.restore()
    finally:
        p.end()
    return pages


def _keep_blocks_whole(text: QTextDocument, page_height: float) -> None:
    """No paragraph or list item is split across two pages: such a block starts on the next
    page, with the heading above it if it is a section's first (a reader never meets half a
    sentence at a page top, and no clipped copy of it lands in the PDF's text)."""
    layout = text.documentLayout()

    def page_of(y: float) -> int:
        return int(y // page_height)

    def break_before(block: QTextBlock, on: bool) -> None:
        fmt = block.blockFormat()
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore if on
                               else QTextFormat.PageBreakFlag.PageBreak_Auto)
        QTextCursor(block).setBlockFormat(fmt)

    for _pass in range(40):  # each pass moves one block; a report needs a few
        block, previous = text.begin(), None
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            straddles = page_of(rect.top()) != page_of(rect.bottom() - 1)
            nxt = block.next()
            fmt = block.blockFormat()
            if fmt.headingLevel() > 0 and nxt.isValid() and \
                    page_of(layout.blockBoundingRect(nxt).top()) > page_of(rect.top()) and \
                    fmt.pageBreakPolicy() == QTextFormat.PageBreakFlag.PageBreak_Auto:
                break_before(block, True)  # a heading alone at the foot of a page
                break
            if straddles and rect.height() < page_height \
                    and QTextCursor(block).currentTable() is None:
                if previous is not None and previous.blockFormat().headingLevel() > 0:
                    break_before(block, False)  # the heading goes with its first block
                    break_before(previous, True)
                else:
                    break_before(block, True)
                break
            previous, block = block, block.next()
        else:
            return


def _running_head(p: QPainter, content: ReportContent, rect: QRectF, mm: float) -> None:
    p.save()
    f = QFont("DejaVu Sans")
    f.setPointSizeF(8)
    p.setFont(f)
    p.setPen(QColor("#333"))
    r = rect.adjusted(0, 0, 0, -2 * mm)
    title_w = p.fontMetrics().horizontalAdvance(content.title) + 6 * mm
    p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, content.title)
    head = p.fontMetrics().elidedText(content.running_head, Qt.TextElideMode.ElideMiddle,
                                      int(r.width() - title_w))  # a long id never overlaps
    p.drawText(r, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, head)
    p.setPen(QPen(QColor("#999"), 0.2 * mm))
    p.drawLine(QPointF(rect.left(), rect.bottom() - 1.5 * mm),
               QPointF(rect.right(), rect.bottom() - 1.5 * mm))
    p.restore()


def _footer(p: QPainter, number: int, total: int, rect: QRectF, mm: float) -> None:
    p.save()
    f = QFont("DejaVu Sans")
    f.setPointSizeF(8)
    p.setFont(f)
    p.setPen(QColor("#333"))
    r = rect.adjusted(0, 2 * mm, 0, 0)
    p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
               _("hipmap supports clinical judgement; it does not diagnose."))
    p.drawText(r, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
               _("Page {number} of {total}").format(number=number, total=total))
    p.restore()


__all__ = ["paint_report", "report_html", "report_pdf_bytes", "write_report_pdf"]
