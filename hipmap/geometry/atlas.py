"""The region atlas: every region's and dermatome's polygon per view (assets/atlas/atlas.json).

Loaded once; each view's polygons are prepared and indexed with an STRtree so that a stroke
only touches the regions it can hit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hipmap.core.ids import DERMATOMES, REGIONS, VIEWS
from hipmap.paths import assets_dir

if TYPE_CHECKING:  # shapely (and numpy) load only when the atlas does: the app's first
    import shapely  # frame is drawn before them
    from shapely.geometry.base import BaseGeometry

ATLAS_FORMAT = "hipmap.atlas/1"


@dataclass(frozen=True)
class Area:
    """One region or dermatome polygon in one view."""

    id: str
    kind: str  # "region" | "dermatome"
    view: str
    geom: BaseGeometry
    area: float


@dataclass(frozen=True)
class ViewAtlas:
    name: str
    width: float
    height: float
    title: str
    outline: BaseGeometry
    regions: dict[str, Area]
    dermatomes: dict[str, Area]
    unassigned: dict[str, BaseGeometry]
    landmarks: tuple[dict[str, Any], ...]
    labels: tuple[dict[str, Any], ...]
    areas: tuple[Area, ...]  # regions then dermatomes, index-aligned with ``tree``
    tree: shapely.STRtree

    def candidates(self, geom: BaseGeometry) -> list[Area]:
        """Areas whose bounding box meets ``geom``'s."""
        return [self.areas[i] for i in self.tree.query(geom)]

    def region_at(self, x: float, y: float) -> str | None:
        import shapely

        pt = shapely.Point(x, y)
        for i in self.tree.query(pt, predicate="intersects"):
            a = self.areas[i]
            if a.kind == "region":
                return a.id
        return None


@dataclass(frozen=True)
class Atlas:
    views: dict[str, ViewAtlas]
    dermatome_source: str
    raw: dict[str, Any]

    def view(self, name: str) -> ViewAtlas:
        return self.views[name]


def atlas_path() -> Path:
    return assets_dir() / "atlas" / "atlas.json"


@cache
def load_atlas(path: str | None = None) -> Atlas:
    import shapely
    from shapely.geometry import shape

    p = Path(path) if path else atlas_path()
    raw = json.loads(p.read_text(encoding="utf-8"))
    if raw.get("format") != ATLAS_FORMAT:
        raise ValueError(f"{p}: not a {ATLAS_FORMAT} file")
    views: dict[str, ViewAtlas] = {}
    for name in VIEWS:
        v = raw["views"][name]
        regions = {rid: _area(rid, "region", name, g) for rid, g in v["regions"].items()}
        derms = {did: _area(did, "dermatome", name, g) for did, g in v["dermatomes"].items()}
        unknown = (set(regions) - set(REGIONS)) | (set(derms) - set(DERMATOMES))
        if unknown:
            raise ValueError(f"{p}: unknown ids in view {name}: {sorted(unknown)}")
        areas = tuple(regions.values()) + tuple(derms.values())
        views[name] = ViewAtlas(
            name=name, width=float(v["width"]), height=float(v["height"]),
            title=v.get("title", name), outline=shape(v["outline"]),
            regions=regions, dermatomes=derms,
            unassigned={k: shape(g) for k, g in v.get("unassigned", {}).items()},
            landmarks=tuple(v.get("landmarks", ())), labels=tuple(v.get("labels", ())),
            areas=areas, tree=shapely.STRtree([a.geom for a in areas]),
        )
    return Atlas(views=views, dermatome_source=raw.get("dermatome_source", ""), raw=raw)


def _area(aid: str, kind: str, view: str, g: dict[str, Any]) -> Area:
    import shapely
    from shapely.geometry import shape

    geom = shape(g)
    shapely.prepare(geom)
    return Area(id=aid, kind=kind, view=view, geom=geom, area=float(geom.area))


#: The layout of a rendered drawing (``hipmap render``, PNG export): views side by side with
#: a gap, a title above, the legend below (diagram units).
RENDER_GAP = 40.0
RENDER_HEADER = 56.0
RENDER_LEGEND = 74.0


def render_size(views: list[str] | None = None, atlas: Atlas | None = None
                ) -> tuple[float, float]:
    """Width and height (diagram units, i.e. pixels at scale 1) of a rendered drawing."""
    atlas = atlas or load_atlas()
    vas = [atlas.view(n) for n in (views or VIEWS)]
    width = sum(v.width for v in vas) + RENDER_GAP * (len(vas) + 1)
    return width, RENDER_HEADER + 1000.0 + RENDER_LEGEND


#: Said in every GeoJSON output: the coordinates are the diagram's, not longitude/latitude.
GEOJSON_COORDINATES = {
    "units": "diagram units: each view is 1000 units tall",
    "origin": "top-left corner of the view", "x": "right", "y": "down",
    "winding": "RFC 7946: exterior rings counter-clockwise, holes clockwise, in these "
               "coordinates as numbers (y up, as every GeoJSON tool computes it); drawn "
               "with y down, as on the diagram, an exterior ring turns clockwise on screen",
}


def to_geojson(atlas: Atlas, view: str | None = None) -> dict[str, Any]:
    """One FeatureCollection: a Feature per region and per dermatome per view (contract §4).

    Rings follow RFC 7946 §3.1.6 (exterior counter-clockwise by the signed area of the
    numbers); the foreign member ``hipmap_coordinates`` says the units are diagram units."""
    import shapely
    from shapely.geometry import mapping

    features = []
    for name, va in atlas.views.items():
        if view and name != view:
            continue
        for area in (*va.regions.values(), *va.dermatomes.values()):
            features.append({
                "type": "Feature",
                "properties": {"id": area.id, "view": name, "kind": area.kind},
                "geometry": mapping(shapely.orient_polygons(area.geom, exterior_cw=False)),
            })
    return {"type": "FeatureCollection", "hipmap_coordinates": GEOJSON_COORDINATES,
            "features": features}
