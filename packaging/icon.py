"""Render the application icon set from ``assets/icon/hipmap.svg`` into ``build/icons/``.

    python packaging/icon.py [--svg assets/icon/hipmap.svg] [--out build/icons]

Writes ``hipmap-<size>.png`` for 16, 24, 32, 48, 64, 128, 256, 512 and 1024 px (rendered by
Qt's own SVG renderer, offscreen, so the icon looks exactly as Qt draws the SVG), then
``hipmap.ico`` (Windows: 16-256 px, each size from its own rendering rather than a downscale)
and ``hipmap.icns`` (macOS: 16-1024 px) with Pillow. Everything it writes is generated: never
commit ``build/icons/``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)          # the Windows shell uses up to 256
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)      # the sizes (and @2x) an .icns holds


def render_pngs(svg: Path, out: Path, sizes: tuple[int, ...] = PNG_SIZES) -> dict[int, Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["hipmap-icon"])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"icon.py: {svg}: Qt cannot render this SVG (keep it SVG 1.2 Tiny)")
    out.mkdir(parents=True, exist_ok=True)
    written: dict[int, Path] = {}
    for size in sizes:
        img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        renderer.render(p, QRectF(0, 0, size, size))
        p.end()
        path = out / f"hipmap-{size}.png"
        if not img.save(str(path), "PNG"):
            raise SystemExit(f"icon.py: could not write {path}")
        written[size] = path
    return written


def write_ico_icns(pngs: dict[int, Path], out: Path) -> tuple[Path, Path]:
    from PIL import Image

    imgs = {s: Image.open(p).convert("RGBA") for s, p in pngs.items()}
    ico = out / "hipmap.ico"
    big = imgs[max(ICO_SIZES)]
    # append_images: Pillow uses each image for its own size instead of downscaling the first.
    big.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
             append_images=[imgs[s] for s in ICO_SIZES if s != max(ICO_SIZES)])
    icns = out / "hipmap.icns"
    largest = imgs[max(ICNS_SIZES)]
    largest.save(icns, format="ICNS",
                 append_images=[imgs[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)])
    return ico, icns


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--svg", type=Path, default=ROOT / "assets" / "icon" / "hipmap.svg")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "icons")
    args = ap.parse_args(argv)
    pngs = render_pngs(args.svg, args.out)
    ico, icns = write_ico_icns(pngs, args.out)
    print(f"icon.py: {len(pngs)} PNGs ({min(pngs)}-{max(pngs)} px), {ico.name} "
          f"({ico.stat().st_size // 1024} KB), {icns.name} ({icns.stat().st_size // 1024} KB) "
          f"in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
