"""GeoJSON (issue 9, finding 13): RFC 7946 winding — exterior rings counter-clockwise, holes
clockwise — checked with a GeoJSON library for structure and with shapely for the winding;
and the output says its coordinates are diagram units."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import geojson
import shapely
from shapely.geometry import shape


def _regions_geojson() -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-m", "hipmap", "regions", "--format", "geojson"],
                       capture_output=True, env=env, timeout=120, check=True)
    return json.loads(r.stdout)


def _rings(geometry: dict):
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
        else geometry["coordinates"]
    for poly in polys:
        yield True, poly[0]
        for hole in poly[1:]:
            yield False, hole


def test_every_ring_is_wound_as_rfc_7946_says_and_the_file_is_valid_geojson():
    data = _regions_geojson()
    fc = geojson.loads(json.dumps(data))
    assert fc.is_valid, fc.errors()
    from hipmap.core.ids import REGIONS

    assert {f["properties"]["id"] for f in data["features"]} >= set(REGIONS)
    exteriors = holes = 0
    for f in data["features"]:
        g = f["geometry"]
        assert geojson.GeoJSON.to_instance(g).is_valid
        assert shape(g).is_valid
        for exterior, ring in _rings(g):
            ccw = shapely.LinearRing(ring).is_ccw  # signed area of the numbers (y up)
            assert ccw is exterior, (f["properties"], "exterior" if exterior else "hole")
            exteriors += exterior
            holes += not exterior
    assert exteriors >= len(data["features"])


def test_the_output_says_the_coordinates_are_diagram_units_y_down():
    meta = _regions_geojson()["hipmap_coordinates"]
    assert "diagram units" in meta["units"] and meta["y"] == "down"


def test_winding_does_not_move_the_regions():
    """Re-orienting changes the ring order only: same areas, same places."""
    from hipmap.geometry.atlas import load_atlas, to_geojson

    atlas = load_atlas()
    data = to_geojson(atlas, "back")
    for f in data["features"]:
        va = atlas.view("back")
        area = (va.regions | va.dermatomes)[f["properties"]["id"]]
        assert shape(f["geometry"]).equals(area.geom)
