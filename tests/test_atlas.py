"""The committed region atlas (assets/atlas/atlas.json) and its diagram artwork."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import shapely
from shapely import affinity
from shapely.geometry import box, shape

from hipmap.core.ids import BASE_REGIONS, DERMATOME_ROOTS, SIDES, VIEWS
from hipmap.geometry.artwork import atlas_to_svg

ROOT = Path(__file__).resolve().parents[1]
ATLAS = ROOT / "assets" / "atlas" / "atlas.json"
DIAGRAM = ROOT / "assets" / "diagram"


@cache
def atlas() -> dict:
    return json.loads(ATLAS.read_text(encoding="utf-8"))


def view(name: str) -> dict:
    return atlas()["views"][name]


def regions(name: str) -> dict:
    return {k: shape(g) for k, g in view(name)["regions"].items()}


def outline(name: str):
    return shape(view(name)["outline"])


def centre(name: str) -> float:
    return view(name)["width"] / 2


def test_format_header():
    a = atlas()
    assert a["format"] == "hipmap.atlas/1"
    assert a["generated_by"] == "tools/build_atlas.py"
    assert "dermatome" in a["dermatome_source"].lower()
    assert set(a["views"]) == set(VIEWS)
    for name in VIEWS:
        v = view(name)
        assert v["height"] == 1000
        assert v["width"] == (600 if name in ("front", "back") else 420)


@pytest.mark.parametrize("name", VIEWS)
def test_regions_tile_the_outline(name):
    regs = list(regions(name).values())
    unassigned = [shape(g) for g in view(name)["unassigned"].values()]
    assert shapely.coverage_is_valid(regs)
    assert shapely.coverage_is_valid(regs + unassigned)
    body = outline(name)
    assert body.is_valid and not body.is_empty
    diff = shapely.symmetric_difference(shapely.union_all(regs + unassigned), body)
    assert diff.area < 1e-3 * body.area


@pytest.mark.parametrize("name", VIEWS)
def test_region_polygons_valid_and_in_the_drawing_box(name):
    v = view(name)
    frame = box(0, 0, v["width"], v["height"])
    for rid, g in regions(name).items():
        assert g.geom_type in ("Polygon", "MultiPolygon"), rid
        assert g.is_valid and not g.is_empty and g.area > 300, rid
        assert frame.contains(g), rid
    for g in v["unassigned"].values():
        assert shape(g).is_valid


def test_unassigned_is_small():
    # front: the lower abdomen above the groins (no contract region) is the largest piece
    for name in VIEWS:
        un = sum(shape(g).area for g in view(name)["unassigned"].values())
        assert un < (0.2 if name == "front" else 0.1) * outline(name).area, name


def test_every_contract_region_is_somewhere():
    seen = set()
    for name in VIEWS:
        seen |= set(view(name)["regions"])
    expected = {f"{s}.{b}" for s in SIDES for b in BASE_REGIONS}
    assert expected <= seen
    assert seen <= expected  # and nothing else


def test_front_back_have_both_sides_side_views_one():
    for name in ("front", "back"):
        ids = set(view(name)["regions"])
        for base in {r.split(".")[1] for r in ids}:
            assert {f"right.{base}", f"left.{base}"} <= ids, (name, base)
    assert all(r.startswith("right.") for r in view("right_side")["regions"])
    assert all(r.startswith("left.") for r in view("left_side")["regions"])


@pytest.mark.parametrize(("name", "right_is_left_of_centre"), [("front", True), ("back", False)])
def test_laterality_front_back(name, right_is_left_of_centre):
    c = centre(name)
    for rid, g in regions(name).items():
        x = g.centroid.x
        on_viewer_left = x < c
        if rid.startswith("right."):
            assert on_viewer_left == right_is_left_of_centre, rid
        else:
            assert on_viewer_left != right_is_left_of_centre, rid


@pytest.mark.parametrize("name", ["front", "back"])
def test_left_is_mirror_of_right(name):
    regs = regions(name)
    c = centre(name)
    for rid, g in regs.items():
        if not rid.startswith("right."):
            continue
        other = regs["left." + rid.split(".", 1)[1]]
        mirrored = affinity.scale(g, xfact=-1, yfact=1, origin=(c, 0))
        assert shapely.symmetric_difference(mirrored, other).area < 0.01 * g.area, rid


@pytest.mark.parametrize(("name", "anterior_right"), [("right_side", True), ("left_side", False)])
def test_side_views_face_the_right_way(name, anterior_right):
    regs = regions(name)
    side = name.split("_")[0]
    for part in ("thigh", "knee", "leg"):
        ant = regs[f"{side}.anterior_{part}"].centroid.x
        post = regs[f"{side}.posterior_{part}"].centroid.x
        assert (ant > post) == anterior_right, (name, part)
    # groin (front of the hip) vs buttock (back), dorsum vs heel/sole
    assert (regs[f"{side}.groin"].centroid.x > regs[f"{side}.buttock"].centroid.x) == (
        anterior_right
    )


def test_labels_name_the_patients_sides():
    for name, right_on_viewer_left in (("front", True), ("back", False)):
        labels = {lab["text"]: lab for lab in view(name)["labels"]}
        c = centre(name)
        assert (labels["RIGHT"]["x"] < c) == right_on_viewer_left
        assert (labels["LEFT"]["x"] < c) != right_on_viewer_left
        for lab in view(name)["labels"]:  # labels sit beside the body, not on it
            if lab["text"] in ("RIGHT", "LEFT"):
                assert not outline(name).contains(shapely.Point(lab["x"], lab["y"]))
    for name, front_right in (("right_side", True), ("left_side", False)):
        labels = {lab["text"]: lab for lab in view(name)["labels"]}
        assert (labels["FRONT"]["x"] > labels["BACK"]["x"]) == front_right
        assert f"{name.split('_')[0].upper()} SIDE" in labels


def _spot(name: str, rid: str, where: str, y: float):
    """A point inside region ``rid`` of view ``name`` at height y: at its lateral/medial/
    anterior... end (``where`` = 'min_x', 'max_x' or 'mid') of the horizontal chord."""
    g = regions(name)[rid]
    chord = shapely.intersection(g, shapely.LineString([(-1, y), (10_000, y)]))
    xs = [x for x, _ in shapely.get_coordinates(chord)]
    lo, hi = min(xs), max(xs)
    x = {"min_x": lo + 0.3 * (hi - lo), "max_x": hi - 0.3 * (hi - lo), "mid": (lo + hi) / 2}[where]
    return shapely.Point(x, y)


# The same anatomical spot on the patient's right leg, seen from the front, the back and the
# right side, must land in the same region. Points are taken near the outer edge of the leg
# (viewer's left in front, viewer's right in back) and in the middle of the leg from the side.
SAME_SPOT = [
    # (region, y in front/back, y in the side view)
    ("lateral_hip", 260.0, 250.0),
    ("lateral_thigh", 450.0, 450.0),
    ("lateral_knee", 612.0, 612.0),
    ("lateral_leg", 780.0, 780.0),
]


@pytest.mark.parametrize(("base", "y_fb", "y_side"), SAME_SPOT)
def test_same_spot_same_region_across_views(base, y_fb, y_side):
    for side in SIDES:
        rid = f"{side}.{base}"
        for name in ("front", "back"):
            body = outline(name)
            chord = shapely.intersection(body, shapely.LineString([(-1, y_fb), (10_000, y_fb)]))
            legs = sorted(shapely.get_parts(chord), key=lambda seg: seg.bounds[0])
            # the leg on the viewer's left is the patient's right in front, left in back
            viewer_left = (side == "right") == (name == "front")
            leg = legs[0] if viewer_left else legs[-1]
            x0, _, x1, _ = leg.bounds
            # 10 units in from the outer edge
            x = x0 + 10 if viewer_left else x1 - 10
            p = shapely.Point(x, y_fb)
            assert regions(name)[rid].contains(p), (name, rid, p)
            # and nothing else claims it
            others = [r for r, g in regions(name).items() if r != rid and g.contains(p)]
            assert not others
        side_view = f"{side}_side"
        p = _spot(side_view, rid, "mid", y_side)
        assert regions(side_view)[rid].contains(p)
        # the middle of the whole leg (not just of the region) in the side view
        chord = shapely.intersection(
            outline(side_view), shapely.LineString([(-1, y_side), (10_000, y_side)])
        )
        lo, _, hi, _ = chord.bounds
        assert regions(side_view)[rid].contains(shapely.Point((lo + hi) / 2, y_side)), rid


def test_right_buttock_in_back_view():
    # the patient's right buttock is on the viewer's right in the back view
    regs = regions("back")
    p = shapely.Point(centre("back") + 100, 240)
    assert regs["right.buttock"].contains(p)
    assert regs["left.buttock"].contains(shapely.Point(centre("back") - 100, 240))


@pytest.mark.parametrize("name", VIEWS)
def test_committed_svg_is_generated_from_the_atlas(name):
    svg = atlas_to_svg(atlas(), name)
    assert svg == (DIAGRAM / f"{name}.svg").read_text(encoding="utf-8")
    assert atlas_to_svg(atlas(), name) == svg  # deterministic


@pytest.mark.parametrize("name", VIEWS)
def test_svg_is_tiny_compatible(name):
    from hipmap.report.palette import DERMATOMES

    for show in (False, True):
        svg = atlas_to_svg(atlas(), name, show_regions=show,
                           dermatome_colours=DERMATOMES if show else None)
        for banned in ("<style", "style=", "filter", "<mask", "clipPath", "<image", "<use"):
            assert banned not in svg, banned
        assert 'baseProfile="tiny"' in svg
        # the review layer uses the app's one dermatome palette
        used = {c for c in DERMATOMES.values() if f'fill="{c}"' in svg}
        assert bool(used) == show and ('id="dermatomes"' in svg) == show


@pytest.mark.parametrize("name", VIEWS)
def test_dermatomes(name):
    v = view(name)
    body = outline(name)
    derms = {k: shape(g) for k, g in v["dermatomes"].items()}
    assert derms
    for did, g in derms.items():
        side, _, root = did.partition(".")
        assert side in SIDES and root in DERMATOME_ROOTS, did
        assert g.is_valid and not g.is_empty, did
        assert shapely.difference(g, body).area < 1e-3 * g.area, did
    assert shapely.coverage_is_valid(list(derms.values()))


def test_every_dermatome_l1_to_s2_appears():
    seen = set()
    for name in VIEWS:
        seen |= set(view(name)["dermatomes"])
    assert {f"{s}.{r}" for s in SIDES for r in DERMATOME_ROOTS} <= seen


def test_dermatome_anatomy():
    # L4 medial and L5 lateral below the knee in front; S1 at the heel in the back view
    d = {k: shape(g) for k, g in view("front")["dermatomes"].items()}
    assert d["right.L4"].centroid.x > d["right.L5"].centroid.x  # right leg: medial = larger x
    assert d["right.L1"].centroid.y < d["right.L2"].centroid.y < d["right.L3"].centroid.y
    b = {k: shape(g) for k, g in view("back")["dermatomes"].items()}
    heel = regions("back")["right.plantar_foot"].representative_point()
    assert b["right.S1"].contains(heel)


@pytest.mark.parametrize("name", VIEWS)
def test_the_review_layers_draw_every_region_and_dermatome_with_its_name(name):
    """The atlas review SVG (tools): each region's outline and short name, each unassigned
    sliver dashed, each dermatome filled in the app's palette and labelled with its side."""
    import xml.etree.ElementTree as ET

    from hipmap.geometry.artwork import SHORT, geometry_path_data
    from hipmap.report.palette import DERMATOMES

    v = view(name)
    svg = atlas_to_svg(atlas(), name, show_regions=True, dermatome_colours=DERMATOMES)
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)
    groups = {g.get("id"): g for g in root.findall("s:g", ns)}
    assert list(groups) == ["body", "dermatomes", "landmarks", "outline", "regions",
                            "region-labels", "dermatome-labels", "labels"]
    outlines = [p.get("d") for p in groups["regions"].findall("s:path", ns)]
    expected = [geometry_path_data(v["regions"][r]) for r in sorted(v["regions"])]
    assert outlines[:len(expected)] == expected
    dashed = groups["regions"].findall("s:path[@stroke-dasharray='3,3']", ns)
    assert len(dashed) == len(v.get("unassigned", {}))
    labels = [t.text for t in groups["region-labels"].findall("s:text", ns)]
    assert labels == [f"{r.split('.')[0][0].upper()} {SHORT[r.split('.')[1]]}"
                      for r in sorted(v["regions"])]
    derm = groups["dermatomes"].findall("s:path", ns)
    assert [p.get("fill") for p in derm] == [DERMATOMES[d.split(".")[1]]
                                              for d in sorted(v["dermatomes"])]
    assert all(p.get("fill-opacity") == "0.45" for p in derm)
    assert [t.text for t in groups["dermatome-labels"].findall("s:text", ns)] == [
        f"{d.split('.')[0][0].upper()}{d.split('.')[1]}" for d in sorted(v["dermatomes"])]
    plain = ET.fromstring(atlas_to_svg(atlas(), name))
    assert [g.get("id") for g in plain.findall("s:g", ns)] == ["body", "landmarks", "outline",
                                                               "labels"]


def test_numbers_in_the_svg_are_short_and_never_minus_zero():
    from hipmap.geometry.artwork import _num, geometry_path_data

    assert [_num(v) for v in (3, 3.0, 2.25, 2.26, -0.04, 0.04, 1e3)] == [
        "3", "3", "2.2", "2.3", "0", "0", "1000"]
    square = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 0]]]}
    assert geometry_path_data(square) == "M0 0L10 0L10 10Z"
    two = {"type": "MultiPolygon", "coordinates": [square["coordinates"]] * 2}
    assert geometry_path_data(two) == "M0 0L10 0L10 10ZM0 0L10 0L10 10Z"
    with pytest.raises(ValueError, match="unsupported geometry type 'Point'"):
        geometry_path_data({"type": "Point", "coordinates": [0, 0]})
