"""Headless rendering of a document to a PNG (``hipmap render``, PNG export, reports)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

from hipmap.core.document import Document
from hipmap.core.ids import VIEWS
from hipmap.core.output import verify_png, write_bytes
from hipmap.geometry.atlas import RENDER_GAP as GAP
from hipmap.geometry.atlas import RENDER_HEADER as HEADER
from hipmap.geometry.atlas import RENDER_LEGEND as LEGEND
from hipmap.geometry.atlas import load_atlas, render_size
from hipmap.i18n import _
from hipmap.ui.diagram import ViewPainter, paint_legend


def ensure_gui_app() -> QGuiApplication:
    """The application object painting needs: a QApplication (so that a window can still
    be made later in the same process, e.g. in the tests), created once."""
    app = QGuiApplication.instance()
    if app is None:
        from PySide6.QtWidgets import QApplication

        app = QApplication(["hipmap"])
    return app  # type: ignore[return-value]


def render_document_image(doc: Document, *, views: Sequence[str] | None = None,
                          scale: float = 1.0, dermatomes: bool = False,
                          title: str | None = None, frame: bool = True) -> QImage:
    """The drawing on the diagram. ``frame``: with the title above and the legend below
    (the report puts its own header and a legend large enough to read on paper)."""
    ensure_gui_app()
    atlas = load_atlas()
    names = list(views or VIEWS)
    vas = [atlas.view(n) for n in names]
    width, height = render_size(names, atlas)
    top = HEADER if frame else 10.0
    if not frame:
        height = top + 1000.0 + 10.0
    img = QImage(round(width * scale), round(height * scale), QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    if frame:
        _paint_title(p, title or _title(doc))
    x = GAP
    for va in vas:
        vp = ViewPainter(va)
        p.save()
        p.translate(x, top)
        vp.paint_body(p)
        if dermatomes:
            vp.paint_dermatomes(p)
        vp.paint_marks(p, doc.marks)
        vp.paint_labels(p)
        p.restore()
        x += va.width + GAP
    if frame:
        paint_legend(p, QRectF(GAP, HEADER + 1000.0, width - 2 * GAP, LEGEND))
    p.end()
    return img


#: the legend's own width (diagram units): at the report's text width its 13-unit
#: labels print at about 7.7 pt
LEGEND_WIDTH = 860.0


def legend_image(scale: float = 3.0) -> QImage:
    """The legend alone (intensity ramp and quality patterns), for the printed report."""
    ensure_gui_app()
    img = QImage(round(LEGEND_WIDTH * scale), round(66 * scale), QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(scale, scale)
    paint_legend(p, QRectF(0, 0, LEGEND_WIDTH, 66))
    p.end()
    return img


def _paint_title(p: QPainter, title: str) -> None:
    font = QFont("DejaVu Sans")
    font.setPixelSize(18)
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#222"))
    p.drawText(QPointF(GAP, 30), title)
    font.setPixelSize(13)
    font.setBold(False)
    p.setFont(font)
    p.setPen(QColor("#555"))
    p.drawText(QPointF(GAP, 48), _("RIGHT and LEFT are the patient's own sides. "
                                   "hipmap supports clinical judgement; it does not diagnose."))


def _title(doc: Document) -> str:
    bits = [_("hipmap pain drawing")]
    if doc.patient and doc.patient.get("id"):
        bits.append(_("patient {id}").format(id=doc.patient["id"]))
    if doc.recorded_at:
        bits.append(doc.recorded_at)
    return " — ".join(bits)


def png_bytes(img: QImage) -> bytes:
    """The image encoded as PNG in memory (the file is then written by core.output)."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = img.save(buf, "PNG")
    buf.close()
    if not ok:
        raise ValueError("Qt could not encode the PNG")
    return bytes(data.data())


def render_document_png(doc: Document, path: str, *, views: Sequence[str] | None = None,
                        scale: float = 1.0, dermatomes: bool = False) -> None:
    """Render and write ``path`` safely (temp file, verified, atomic rename); raises
    InputError when the file cannot be written (the old file is then untouched)."""
    img = render_document_image(doc, views=views, scale=scale, dermatomes=dermatomes)
    write_bytes(path, png_bytes(img), verify=verify_png)


__all__ = ["ensure_gui_app", "legend_image", "png_bytes", "render_document_image",
           "render_document_png"]
