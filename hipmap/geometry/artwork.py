"""Render one view of the region atlas as SVG 1.2 Tiny (no Qt).

The diagram artwork is generated from ``assets/atlas/atlas.json`` so that the drawing the
patient paints on can never drift from the regions the strokes are mapped to. Only ``path``,
``text`` and ``g`` elements with presentation attributes are used (no CSS, filters, masks or
clip paths), which is what Qt's SVG renderer supports. Output is deterministic: the same atlas
always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape

from shapely.geometry import shape

SKIN = "#f3e6dc"
OUTLINE = "#4d4d4d"
LANDMARK = "#b5a79c"
LABEL = "#222222"
TITLE = "#555555"
REGION_LINE = "#2f5fb3"
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"

#: short names for the debug overlay (show_regions=True)
SHORT: dict[str, str] = {
    "lower_back": "low back",
    "sacroiliac": "SI",
    "buttock": "buttock",
    "ischial": "isch",
    "lateral_hip": "lat hip",
    "groin": "groin",
    "anterior_thigh": "ant thigh",
    "medial_thigh": "med thigh",
    "lateral_thigh": "lat thigh",
    "posterior_thigh": "post thigh",
    "anterior_knee": "ant knee",
    "medial_knee": "med kn",
    "lateral_knee": "lat kn",
    "posterior_knee": "post knee",
    "anterior_leg": "shin",
    "medial_leg": "med leg",
    "lateral_leg": "lat leg",
    "posterior_leg": "calf",
    "dorsal_foot": "dors ft",
    "plantar_foot": "plant ft",
}


def _num(v: float) -> str:
    s = f"{round(float(v), 1):.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def _ring_d(ring: Sequence[Sequence[float]], closed: bool) -> str:
    pts = list(ring)
    if closed and len(pts) > 1 and list(pts[0]) == list(pts[-1]):
        pts = pts[:-1]
    head = f"M{_num(pts[0][0])} {_num(pts[0][1])}"
    body = "".join(f"L{_num(x)} {_num(y)}" for x, y in pts[1:])
    return head + body + ("Z" if closed else "")


def _polygons(geom: dict) -> Iterable[Sequence[Sequence[Sequence[float]]]]:
    if geom["type"] == "Polygon":
        yield geom["coordinates"]
    elif geom["type"] == "MultiPolygon":
        yield from geom["coordinates"]
    else:  # pragma: no cover - the atlas only holds polygons
        raise ValueError(f"unsupported geometry type {geom['type']!r}")


def geometry_path_data(geom: dict) -> str:
    """SVG path data (``d``) for a GeoJSON Polygon/MultiPolygon, holes included."""
    return "".join(_ring_d(ring, True) for poly in _polygons(geom) for ring in poly)


def _text(x: float, y: float, size: float, text: str, *, bold: bool, fill: str) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-family="{FONT}" font-size="{_num(size)}"'
        f'{weight} text-anchor="middle" fill="{fill}">{escape(text)}</text>'
    )


def atlas_to_svg(
    atlas: dict, view: str, *, show_regions: bool = False,
    dermatome_colours: Mapping[str, str] | None = None,
) -> str:
    """The artwork of one view of ``atlas`` as an SVG 1.2 Tiny document.

    Draws the body silhouette (skin fill, dark outline), the anatomical landmarks as thin light
    lines and the labels. ``show_regions`` overlays each region's outline and short name, and
    ``dermatome_colours`` (root -> colour: hipmap.report.palette.DERMATOMES) the dermatome
    layer; both are meant for reviewing the atlas.
    """
    v = atlas["views"][view]
    w, h = v["width"], v["height"]
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
        f'width="{_num(w)}" height="{_num(h)}" viewBox="0 0 {_num(w)} {_num(h)}">',
        '<g id="body">',
        f'<path d="{geometry_path_data(v["outline"])}" fill="{SKIN}" fill-rule="evenodd" '
        f'stroke="none"/>',
        "</g>",
    ]
    if dermatome_colours:
        out.append('<g id="dermatomes">')
        for did in sorted(v.get("dermatomes", {})):
            colour = dermatome_colours.get(did.split(".")[-1], "#888888")
            out.append(
                f'<path d="{geometry_path_data(v["dermatomes"][did])}" fill="{colour}" '
                f'fill-opacity="0.45" fill-rule="evenodd" stroke="{colour}" stroke-width="0.8"/>'
            )
        out.append("</g>")
    out.append('<g id="landmarks" fill="none" stroke="' + LANDMARK + '" stroke-width="1.6" '
               'stroke-linecap="round" stroke-linejoin="round">')
    for lm in v.get("landmarks", []):
        pts = lm["points"]
        if len(pts) < 2:
            continue
        out.append(f'<path d="{_ring_d(pts, bool(lm.get("closed")))}"/>')
    out.append("</g>")
    out.append(
        f'<g id="outline"><path d="{geometry_path_data(v["outline"])}" fill="none" '
        f'stroke="{OUTLINE}" stroke-width="2.4" stroke-linejoin="round"/></g>'
    )
    if show_regions:
        out.append(f'<g id="regions" fill="none" stroke="{REGION_LINE}" stroke-width="0.8">')
        for rid in sorted(v["regions"]):
            out.append(f'<path d="{geometry_path_data(v["regions"][rid])}"/>')
        for name in sorted(v.get("unassigned", {})):
            out.append(f'<path d="{geometry_path_data(v["unassigned"][name])}" '
                       'stroke-dasharray="3,3"/>')
        out.append("</g>")
        out.append('<g id="region-labels">')
        for rid in sorted(v["regions"]):
            side, _, base = rid.partition(".")
            p = shape(v["regions"][rid]).representative_point()
            label = f"{side[0].upper()} {SHORT.get(base, base)}"
            out.append(_text(p.x, p.y + 3, 9, label, bold=False, fill=REGION_LINE))
        out.append("</g>")
    if dermatome_colours:
        out.append('<g id="dermatome-labels">')
        for did in sorted(v.get("dermatomes", {})):
            side, _, root = did.partition(".")
            p = shape(v["dermatomes"][did]).representative_point()
            out.append(_text(p.x, p.y + 4, 11, f"{side[0].upper()}{root}", bold=True,
                             fill="#000000"))
        out.append("</g>")
    out.append('<g id="labels">')
    for lab in v.get("labels", []):
        size = lab["size"]
        big = size >= 28
        out.append(_text(lab["x"], lab["y"], size, lab["text"], bold=big,
                         fill=LABEL if big else TITLE))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
