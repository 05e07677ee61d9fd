"""Headless rendering of a document to a PNG (``hipmap render``, PNG export, reports)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

from hipmap.core.document import Document
from hipmap.core.ids import VIEWS
from hipmap.geometry.atlas import load_atlas
from hipmap.ui.diagram import ViewPainter, paint_legend

GAP = 40.0
HEADER = 56.0
LEGEND = 74.0


def ensure_gui_app() -> QGuiApplication:
    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication(["hipmap"])
    return app  # type: ignore[return-value]


def render_document_image(doc: Document, *, views: Sequence[str] | None = None,
                          scale: float = 1.0, dermatomes: bool = False,
                          title: str | None = None) -> QImage:
    ensure_gui_app()
    atlas = load_atlas()
    names = list(views or VIEWS)
    vas = [atlas.view(n) for n in names]
    width = sum(v.width for v in vas) + GAP * (len(vas) + 1)
    height = HEADER + 1000.0 + LEGEND
    img = QImage(round(width * scale), round(height * scale), QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    font = QFont("DejaVu Sans")
    font.setPixelSize(18)
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#222"))
    p.drawText(QPointF(GAP, 30), title or _title(doc))
    font.setPixelSize(13)
    font.setBold(False)
    p.setFont(font)
    p.setPen(QColor("#555"))
    p.drawText(QPointF(GAP, 48), "RIGHT and LEFT are the patient's own sides. "
               "hipmap supports clinical judgement; it does not diagnose.")
    x = GAP
    for va in vas:
        vp = ViewPainter(va)
        p.save()
        p.translate(x, HEADER)
        vp.paint_body(p)
        if dermatomes:
            vp.paint_dermatomes(p)
        vp.paint_marks(p, doc.marks)
        vp.paint_labels(p)
        p.restore()
        x += va.width + GAP
    paint_legend(p, QRectF(GAP, HEADER + 1000.0, width - 2 * GAP, LEGEND))
    p.end()
    return img


def _title(doc: Document) -> str:
    bits = ["hipmap pain drawing"]
    if doc.patient and doc.patient.get("id"):
        bits.append(f"patient {doc.patient['id']}")
    if doc.recorded_at:
        bits.append(doc.recorded_at)
    return " — ".join(bits)


def render_document_png(doc: Document, path: str, *, views: Sequence[str] | None = None,
                        scale: float = 1.0, dermatomes: bool = False) -> bool:
    img = render_document_image(doc, views=views, scale=scale, dermatomes=dermatomes)
    return img.save(path, "PNG")


__all__ = ["ensure_gui_app", "render_document_image", "render_document_png"]
