"""Author the anatomical region atlas of hipmap and its diagram artwork.

Run from the repository root::

    .venv/bin/python tools/build_atlas.py

Everything is built from a few hand-placed control points:

* the body outline of each view is a pair of smooth edge profiles x(y) (cubic Hermite /
  Catmull-Rom through control points) for the trunk and leg, plus a Chaikin-smoothed foot;
* regions are carved from the outline by an ordered list of "claims" (half-planes bounded by
  profile-following curves, bands, hand-placed patches): each region is the part of the outline
  inside its claim that no earlier claim took. The claims therefore tile the outline exactly:
  no gaps, no overlaps (checked with ``shapely.coverage_is_valid``);
* one half of the body (the patient's right, in a "canonical" frame where lateral is at small
  x) is authored per view family and mirrored for the other side, so left and right are exact
  mirror images and laterality is decided in one place (:func:`place`).

Writes ``assets/atlas/atlas.json`` and ``assets/diagram/<view>.svg``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon, box, mapping

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hipmap.core.ids import BASE_REGIONS, DERMATOME_ROOTS, SIDES, VIEWS  # noqa: E402
from hipmap.geometry.artwork import atlas_to_svg  # noqa: E402

GRID = 0.1  # coordinates are snapped to this grid (and rounded to it in the JSON)
HEIGHT = 1000
FB_WIDTH = 600  # front and back views
SIDE_WIDTH = 420  # side views
MID = FB_WIDTH / 2
FAR = 2000.0  # "infinitely far" for half-plane claims
MIN_PART = 30.0  # parts of a region smaller than this (area) are merged into a neighbour

DERMATOME_SOURCE = (
    "Textbook-consensus lower-limb dermatome map (GPnotebook; FRCEM primary notes). Real "
    "dermatomes overlap and vary between people (Lee 2008, Downs & LaPorte 2011); radicular "
    "pain is non-dermatomal in most patients (Murphy 2009)."
)

Fn = Callable[[np.ndarray], np.ndarray]
Pts = list[tuple[float, float]]


# --------------------------------------------------------------------------- curves


def profile(ctrl: Sequence[tuple[float, float]], step: float = 2.0) -> Fn:
    """A smooth edge x(y) through control points ``(y, x)`` (cubic Hermite, Catmull-Rom
    tangents); returns a vectorised function, constant beyond the end points."""
    ys = np.array([c[0] for c in ctrl], float)
    xs = np.array([c[1] for c in ctrl], float)
    n = len(ys)
    m = np.zeros(n)
    for i in range(n):
        lo, hi = max(i - 1, 0), min(i + 1, n - 1)
        m[i] = (xs[hi] - xs[lo]) / (ys[hi] - ys[lo])
    dy_all: list[np.ndarray] = []
    dx_all: list[np.ndarray] = []
    for i in range(n - 1):
        h = ys[i + 1] - ys[i]
        k = max(int(np.ceil(h / step)), 2)
        s = np.linspace(0.0, 1.0, k, endpoint=False)
        h00 = 2 * s**3 - 3 * s**2 + 1
        h10 = s**3 - 2 * s**2 + s
        h01 = -2 * s**3 + 3 * s**2
        h11 = s**3 - s**2
        dy_all.append(ys[i] + s * h)
        dx_all.append(h00 * xs[i] + h10 * h * m[i] + h01 * xs[i + 1] + h11 * h * m[i + 1])
    yy = np.concatenate([*dy_all, ys[-1:]])
    xx = np.concatenate([*dx_all, xs[-1:]])

    def f(y: np.ndarray) -> np.ndarray:
        return np.interp(y, yy, xx)

    return f


def chaikin(pts: Pts, closed: bool = True, iterations: int = 4) -> Pts:
    """Chaikin corner cutting: a smooth curve from a rough control polygon."""
    p = np.asarray(pts, float)
    for _ in range(iterations):
        q = np.roll(p, -1, axis=0) if closed else p[1:]
        a = p if closed else p[:-1]
        new = np.empty((2 * len(a), 2))
        new[0::2] = 0.75 * a + 0.25 * q
        new[1::2] = 0.25 * a + 0.75 * q
        p = new if closed else np.vstack([pts[0], new, pts[-1]])
    return [(float(x), float(y)) for x, y in p]


def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 40) -> Pts:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return [(float(cx + rx * np.cos(t)), float(cy + ry * np.sin(t))) for t in a]


def arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int = 12) -> Pts:
    a = np.radians(np.linspace(a0, a1, n))
    return [(float(cx + rx * np.cos(t)), float(cy + ry * np.sin(t))) for t in a]


def ys(y0: float, y1: float, step: float = 2.0) -> np.ndarray:
    """y0, y1 and the multiples of ``step`` between them (a global grid, so that two claims
    following the same curve over overlapping ranges share their vertices)."""
    lo, hi = min(y0, y1), max(y0, y1)
    inner = np.arange(np.floor(lo / step) + 1, np.ceil(hi / step)) * step
    v = np.concatenate([[lo], inner[(inner > lo) & (inner < hi)], [hi]])
    return v if y0 <= y1 else v[::-1]


def side_of(fx: Fn, y0: float, y1: float, *, left: bool) -> Polygon:
    """The half-plane strip y0..y1 on the left (small x) or right of the curve x = fx(y)."""
    yv = ys(y0, y1)
    xv = fx(yv)
    edge = [(float(x), float(y)) for x, y in zip(xv, yv, strict=True)]
    far = -FAR if left else FAR
    return Polygon([(far, y0), *edge, (far, y1)])


def left_of(fx: Fn, y0: float = -FAR, y1: float = FAR) -> Polygon:
    return side_of(fx, max(y0, -50), min(y1, HEIGHT + 50), left=True)


def right_of(fx: Fn, y0: float = -FAR, y1: float = FAR) -> Polygon:
    return side_of(fx, max(y0, -50), min(y1, HEIGHT + 50), left=False)


def above(curve: Pts) -> Polygon:
    """Everything above (smaller y than) a polyline running left to right."""
    c = [(-FAR, curve[0][1]), *curve, (FAR, curve[-1][1])]
    return Polygon([*c, (FAR, -FAR), (-FAR, -FAR)])


def below(curve: Pts) -> Polygon:
    c = [(-FAR, curve[0][1]), *curve, (FAR, curve[-1][1])]
    return Polygon([*c, (FAR, FAR), (-FAR, FAR)])


def band(y0: float, y1: float) -> Polygon:
    return box(-FAR, y0, FAR, y1)


def frac(lo: Fn, hi: Fn, t: float, min_lo: float = 0.0, min_hi: float = 0.0) -> Fn:
    """The curve at fraction t from edge ``lo`` to edge ``hi`` (at least ``min_lo`` from lo
    and ``min_hi`` from hi)."""

    def f(y: np.ndarray) -> np.ndarray:
        a, b = lo(y), hi(y)
        w = b - a
        d = np.sign(w)
        x = a + t * w
        x = np.where(np.abs(x - a) < min_lo, a + d * min_lo, x)
        return np.where(np.abs(b - x) < min_hi, b - d * min_hi, x)

    return f


def offset(fx: Fn, dx: float) -> Fn:
    return lambda y: fx(y) + dx


# --------------------------------------------------------------------------- carving


def snap(g):
    return shapely.set_precision(shapely.make_valid(g), GRID)


def polys(g) -> list[Polygon]:
    if g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    return [p for p in getattr(g, "geoms", []) if isinstance(p, Polygon) and not p.is_empty] + [
        q for p in getattr(g, "geoms", []) if not isinstance(p, Polygon) for q in polys(p)
    ]


def as_area(g):
    ps = [p for p in polys(g) if p.area > 0]
    if not ps:
        return Polygon()
    return ps[0] if len(ps) == 1 else MultiPolygon(ps)


def carve(outline, claims: Sequence[tuple[str, object]], *, fill: bool = True) -> dict:
    """Assign the outline to labels in claim order. A claim of ``None`` takes all that is
    left. With ``fill``, the result tiles the outline; small slivers are merged into the
    neighbour they share the longest edge with."""
    taken = Polygon()
    out: dict[str, object] = {}
    for label, claim in claims:
        piece = outline if claim is None else shapely.intersection(outline, claim, grid_size=GRID)
        piece = as_area(shapely.difference(piece, taken, grid_size=GRID))
        if piece.is_empty:
            continue
        prev = out.get(label)
        out[label] = piece if prev is None else shapely.union(prev, piece, grid_size=GRID)
        taken = shapely.union(taken, piece, grid_size=GRID)
    if fill:
        rest = as_area(shapely.difference(outline, taken, grid_size=GRID))
        if rest.area > 1.0:
            raise RuntimeError(f"carve left {rest.area:.1f} units unassigned")
    # merge slivers / tiny detached parts into the best neighbour
    changed = True
    while changed:
        changed = False
        for label in sorted(out):
            parts = polys(out[label])
            if len(parts) <= 1 and (not parts or parts[0].area >= MIN_PART):
                continue
            parts.sort(key=lambda p: -p.area)
            keep = parts[:1] + [p for p in parts[1:] if p.area >= MIN_PART]
            for p in [q for q in parts[1:] if q.area < MIN_PART]:
                best, best_len = None, 0.0
                for other in sorted(out):
                    if other == label:
                        continue
                    shared = shapely.intersection(p.boundary, out[other].boundary, grid_size=GRID)
                    if shared.length > best_len:
                        best, best_len = other, shared.length
                if best is None:
                    keep.append(p)
                    continue
                out[best] = as_area(shapely.union(out[best], p, grid_size=GRID))
                changed = True
            out[label] = as_area(shapely.union_all(keep, grid_size=GRID))
            if changed:
                break
    return {k: as_area(v) for k, v in out.items() if not as_area(v).is_empty}


# --------------------------------------------------------------------------- front / back

# Canonical frame for front and back: the patient's RIGHT half, lateral at small x,
# the body midline at x = 300.
Y_TOP = 45.0
Y_CROTCH = 300.0
Y_ANKLE = 922.0  # leg / foot boundary
Y_THIGH_END = 572.0  # thigh / knee
Y_KNEE_END = 655.0  # knee / leg

FRONT_LAT = profile([
    (Y_TOP, 176), (90, 166), (130, 152), (180, 142), (240, 137), (300, 140), (380, 148),
    (460, 158), (530, 168), (575, 173), (612, 175), (650, 172), (700, 169), (760, 173),
    (830, 186), (880, 195), (910, 197), (935, 196),
])
FRONT_MED = profile([
    (Y_CROTCH, 300), (304, 298.5), (315, 294.5), (340, 291), (420, 287), (500, 283),
    (560, 283), (600, 285), (640, 281), (690, 284), (740, 282), (800, 273), (860, 263),
    (900, 259), (935, 261),
])
# back: same hip/thigh, a stronger calf bulge on both sides of the leg
BACK_LAT = profile([
    (Y_TOP, 176), (90, 166), (130, 152), (180, 142), (240, 137), (300, 140), (380, 148),
    (460, 158), (530, 168), (575, 173), (612, 175), (650, 171), (700, 166), (760, 172),
    (830, 187), (880, 196), (910, 198), (935, 197),
])
BACK_MED = profile([
    (Y_CROTCH, 300), (304, 298.5), (315, 294.5), (340, 291), (420, 287), (500, 283),
    (560, 283), (600, 285), (640, 283), (690, 288), (740, 285), (800, 274), (860, 263),
    (900, 259), (935, 261),
])


def leg_half(lat: Fn, med: Fn, y_bottom: float = 935.0) -> Polygon:
    down = ys(Y_TOP, y_bottom)
    up = ys(y_bottom, Y_CROTCH)
    pts = [(MID, Y_TOP)]
    pts += [(float(x), float(y)) for x, y in zip(lat(down), down, strict=True)]
    pts += [(float(x), float(y)) for x, y in zip(med(up), up, strict=True)]
    return Polygon(pts)


FRONT_FOOT = chaikin([
    (200, 900), (196, 925), (186, 948), (177, 968), (175, 984), (184, 994), (205, 997),
    (232, 998), (256, 998), (270, 993), (273, 978), (270, 955), (264, 930), (258, 900),
])
BACK_FOOT = chaikin([
    (201, 900), (197, 925), (195, 950), (200, 975), (214, 992), (236, 997), (253, 990),
    (263, 968), (264, 940), (260, 915), (256, 900),
])


def smooth_outline(g, r: float = 4.0):
    """Round off the small kinks where the foot meets the leg (morphological closing)."""
    g = g.buffer(r, quad_segs=8).buffer(-r, quad_segs=8)
    return g.simplify(0.25)


def front_half() -> Polygon:
    g = shapely.union(leg_half(FRONT_LAT, FRONT_MED), Polygon(FRONT_FOOT))
    g = smooth_outline(g)
    # keep the midline edge exactly on x = 300 (the closing may round the top corners)
    g = shapely.intersection(g, box(-FAR, Y_TOP, MID, FAR))
    return snap(g)


def back_half() -> Polygon:
    g = shapely.union(leg_half(BACK_LAT, BACK_MED), Polygon(BACK_FOOT))
    g = smooth_outline(g)
    g = shapely.intersection(g, box(-FAR, Y_TOP, MID, FAR))
    return snap(g)


# inguinal ligament, anterior superior iliac spine -> pubic tubercle
ASIS = (196.0, 150.0)
PUBIC_TUBERCLE = (284.0, 262.0)
# the top of the groin region, ~25 units above the inguinal ligament
GROIN_TOP: Pts = [(-FAR, 150), (176, 150), (200, 118), (284, 226)]


def front_regions(outline) -> tuple[dict, dict]:
    L, M = FRONT_LAT, FRONT_MED
    unassigned_claim = Polygon(
        [(-FAR, -FAR), (MID + 1, -FAR), (MID + 1, Y_CROTCH), (284, Y_CROTCH),
         *GROIN_TOP[::-1][:-1], (-FAR, 150)]
    )
    claims = [
        ("dorsal_foot", below([(0, Y_ANKLE), (MID, Y_ANKLE)])),
        ("lateral_hip", left_of(offset(L, 38), 150, 345)),
        ("@lower_abdomen", unassigned_claim),
        ("groin", band(-FAR, 345)),
        ("lateral_thigh", left_of(offset(L, 36), 345, Y_THIGH_END)),
        ("medial_thigh", right_of(frac(L, M, 0.66), 345, Y_THIGH_END)),
        ("anterior_thigh", band(345, Y_THIGH_END)),
        ("lateral_knee", left_of(offset(L, 30), Y_THIGH_END, Y_KNEE_END)),
        ("medial_knee", right_of(offset(M, -30), Y_THIGH_END, Y_KNEE_END)),
        ("anterior_knee", band(Y_THIGH_END, Y_KNEE_END)),
        ("lateral_leg", left_of(frac(L, M, 0.3, min_lo=26), Y_KNEE_END, Y_ANKLE)),
        ("medial_leg", right_of(frac(M, L, 0.3, min_lo=26), Y_KNEE_END, Y_ANKLE)),
        ("anterior_leg", None),
    ]
    derm_claims = [
        ("S1", Polygon([(-FAR, 895), (190, 895), (208, Y_ANKLE + 8), (208, FAR), (-FAR, FAR)])),
        ("L1", Polygon([(-FAR, 188), (178, 188), (203, 128), (MID + 1, 240), (MID + 1, 300),
                        (296, 322), (250, 300), (200, 262), (-FAR, 250)])),
        ("L2", Polygon([(-FAR, 250), (200, 262), (250, 300), (296, 322), (MID + 1, 322),
                        (MID + 1, 455), (-FAR, 385)])),
        ("L3", Polygon([(-FAR, 370), (MID + 1, 440), (MID + 1, 668), (-FAR, 668)])),
        ("L4", right_of(frac(L, M, 0.5), 600, 940)),
        ("L5", band(600, FAR)),
    ]
    regions = carve(outline, claims)
    derms = carve(outline, derm_claims, fill=False)
    return regions, derms


# back: iliac crest (lateral -> the lumbosacral junction at the midline)
BACK_CREST: Pts = [(140, 158), (168, 124), (205, 108), (240, 112), (262, 128), (MID, 136)]
SI_PATCH = chaikin([
    (MID + 2, 90), (248, 96), (234, 140), (236, 190), (252, 232), (278, 258), (MID + 2, 272),
], iterations=3)
GLUTEAL_FOLD: Pts = [(-FAR, 348), (178, 348), (205, 342), (240, 343), (272, 332),
                     (292, 314), (MID + 2, 300)]
ISCHIAL_PATCH = chaikin([
    (MID + 2, 266), (262, 258), (226, 268), (206, 300), (204, 360), (MID + 2, 360),
], iterations=3)
POPLITEAL_Y = 612.0


def back_regions(outline) -> tuple[dict, dict]:
    L, M = BACK_LAT, BACK_MED
    hip = above(GLUTEAL_FOLD)
    claims = [
        ("plantar_foot", below([(0, Y_ANKLE), (MID, Y_ANKLE)])),
        ("lower_back", above([(-FAR, 158), *BACK_CREST, (MID + 2, 136)])),
        ("sacroiliac", Polygon(SI_PATCH)),
        ("lateral_hip", left_of(offset(L, 38), 188, 348)),
        ("ischial", shapely.intersection(Polygon(ISCHIAL_PATCH), hip)),
        ("buttock", hip),
        ("lateral_thigh", left_of(offset(L, 36), 300, Y_THIGH_END)),
        ("medial_thigh", right_of(frac(M, L, 0.28, min_lo=34), 300, Y_THIGH_END)),
        ("posterior_thigh", band(-FAR, Y_THIGH_END)),
        ("lateral_knee", left_of(offset(L, 28), Y_THIGH_END, Y_KNEE_END)),
        ("medial_knee", right_of(offset(M, -28), Y_THIGH_END, Y_KNEE_END)),
        ("posterior_knee", band(Y_THIGH_END, Y_KNEE_END)),
        ("lateral_leg", left_of(frac(L, M, 0.25, min_lo=26), Y_KNEE_END, Y_ANKLE)),
        ("medial_leg", right_of(frac(M, L, 0.25, min_lo=26), Y_KNEE_END, Y_ANKLE)),
        ("posterior_leg", None),
    ]
    below_fold = below(GLUTEAL_FOLD)
    derm_claims = [
        ("S2", shapely.union_all([
            shapely.intersection(below_fold, left_of(frac(L, M, 0.72), -FAR, Y_KNEE_END)),
            left_of(frac(L, M, 0.75), Y_KNEE_END, 800),
        ]).difference(left_of(frac(L, M, 0.3), -FAR, Y_KNEE_END))
          .difference(left_of(frac(L, M, 0.5), Y_KNEE_END - 1, 801))),
        ("L3", shapely.intersection(below_fold, right_of(frac(L, M, 0.72), 430, Y_KNEE_END))),
        ("L4", right_of(frac(L, M, 0.75), Y_KNEE_END, 935)),
        ("L5", left_of(frac(L, M, 0.22), Y_KNEE_END, 900)),
        ("S1", band(Y_KNEE_END, FAR)),
    ]
    return carve(outline, claims), carve(outline, derm_claims, fill=False)


# --------------------------------------------------------------------------- side views

# Canonical side frame = right_side: the patient's right side, facing the viewer's right
# (anterior at larger x). left_side is its mirror image about x = 210.
SIDE_POST = profile([
    (Y_TOP, 112), (90, 106), (130, 92), (170, 78), (215, 72), (260, 76), (300, 90),
    (330, 106), (380, 116), (450, 124), (520, 134), (570, 144), (605, 150), (640, 146),
    (690, 131), (740, 132), (800, 145), (860, 160), (900, 164), (935, 160),
])
SIDE_ANT = profile([
    (Y_TOP, 300), (100, 306), (150, 302), (190, 294), (250, 293), (320, 294), (400, 291),
    (480, 283), (545, 271), (585, 266), (612, 271), (645, 263), (690, 256), (760, 250),
    (840, 242), (900, 238), (935, 242),
])
SIDE_FOOT = chaikin([
    (166, 890), (160, 925), (148, 950), (146, 975), (156, 993), (190, 998), (300, 998),
    (370, 997), (388, 990), (384, 978), (352, 966), (300, 948), (258, 928), (240, 905),
    (236, 890),
])
SIDE_CREST_Y = (120.0, 150.0)  # posterior, anterior end of the iliac crest line
SIDE_HIP_BOTTOM = (332.0, 300.0)  # gluteal fold (posterior) .. groin crease (anterior)
SIDE_DORSAL: Pts = [(200, 900), (FAR, 900), (FAR, 979), (382, 979), (300, 960), (240, 942),
                    (200, 936)]


def side_outline():
    down = ys(Y_TOP, 935.0)
    up = down[::-1]
    pts = [(float(x), float(y)) for x, y in zip(SIDE_POST(down), down, strict=True)]
    pts += [(float(x), float(y)) for x, y in zip(SIDE_ANT(up), up, strict=True)]
    g = shapely.union(Polygon(pts), Polygon(SIDE_FOOT))
    g = smooth_outline(g)
    return snap(shapely.intersection(g, box(-FAR, Y_TOP, FAR, FAR)))


def side_line(y_post: float, y_ant: float) -> Pts:
    return [(-FAR, y_post), (60, y_post), (360, y_ant), (FAR, y_ant)]


def side_regions(outline) -> tuple[dict, dict]:
    P, A = SIDE_POST, SIDE_ANT
    crest = side_line(*SIDE_CREST_Y)
    hip_bottom = side_line(*SIDE_HIP_BOTTOM)
    trunk = above(crest)
    hip = above(hip_bottom)
    claims = [
        ("dorsal_foot", shapely.intersection(Polygon(SIDE_DORSAL), band(Y_ANKLE, FAR))),
        ("plantar_foot", band(Y_ANKLE, FAR)),
        ("lower_back", shapely.intersection(trunk, left_of(frac(P, A, 0.5)))),
        ("@lower_abdomen", trunk),
        ("lateral_hip", shapely.intersection(hip, shapely.intersection(
            left_of(frac(P, A, 0.72), 175, 400), right_of(frac(P, A, 0.34), 175, 400)))),
        ("buttock", shapely.intersection(hip, left_of(frac(P, A, 0.55)))),
        ("groin", hip),
        ("posterior_thigh", left_of(frac(P, A, 0.3), -FAR, Y_THIGH_END)),
        ("anterior_thigh", right_of(frac(P, A, 0.7), -FAR, Y_THIGH_END)),
        ("lateral_thigh", band(-FAR, Y_THIGH_END)),
        ("posterior_knee", left_of(frac(P, A, 0.3), Y_THIGH_END, Y_KNEE_END)),
        ("anterior_knee", right_of(frac(P, A, 0.68), Y_THIGH_END, Y_KNEE_END)),
        ("lateral_knee", band(Y_THIGH_END, Y_KNEE_END)),
        ("posterior_leg", left_of(frac(P, A, 0.34), Y_KNEE_END, Y_ANKLE)),
        ("anterior_leg", right_of(frac(P, A, 0.68), Y_KNEE_END, Y_ANKLE)),
        ("lateral_leg", None),
    ]
    below_hip = below(hip_bottom)
    derm_claims = [
        ("L5", shapely.union(
            Polygon(SIDE_DORSAL), right_of(frac(P, A, 0.42), Y_KNEE_END + 10, Y_ANKLE + 5))),
        ("S2", shapely.union(
            shapely.intersection(below_hip, left_of(frac(P, A, 0.3), -FAR, Y_KNEE_END + 10)),
            left_of(frac(P, A, 0.16), Y_KNEE_END, 800))),
        ("S1", band(Y_KNEE_END, FAR)),
        ("L1", shapely.intersection(hip, right_of(frac(P, A, 0.62), 150, 400))),
        ("L2", shapely.intersection(below_hip, band(-FAR, 445))),
        ("L3", band(430, Y_KNEE_END + 10)),
    ]
    return carve(outline, claims), carve(outline, derm_claims, fill=False)


# --------------------------------------------------------------------------- landmarks


def lm(lid: str, pts: Pts, closed: bool = False) -> dict:
    return {"id": lid, "points": [[float(x), float(y)] for x, y in pts], "closed": closed}


def front_landmarks() -> list[dict]:
    L, M = FRONT_LAT, FRONT_MED
    kx = float((L(np.array([608.0]))[0] + M(np.array([608.0]))[0]) / 2) + 2
    lat_m = float(L(np.array([912.0]))[0])
    med_m = float(M(np.array([908.0]))[0])
    out = [
        lm("iliac_crest", chaikin([(150, 140), (162, 118), (182, 112), (198, 124), (200, 142)],
                                  closed=False, iterations=3)),
        lm("inguinal_ligament", chaikin([ASIS, (228, 196), (262, 238), PUBIC_TUBERCLE],
                                        closed=False, iterations=3)),
        lm("patella", ellipse(kx, 606, 23, 28, 36), closed=True),
        lm("tibial_tuberosity", arc(kx, 662, 9, 6, 200, 340, 8)),
        lm("lateral_malleolus", arc(lat_m + 4, 912, 7, 11, 100, 260, 10)),
        lm("medial_malleolus", arc(med_m - 4, 906, 7, 11, -80, 80, 10)),
    ]
    # toe lines: four short clefts between the five toes
    for i, (x0, y0) in enumerate([(196, 978), (212, 982), (228, 984), (246, 984)]):
        out.append(lm(f"toe_cleft_{i + 1}", [(x0 + 1.5 * i - 2, y0), (x0 + 1.5 * i - 3, y0 + 14)]))
    out.append(lm("umbilicus_line", [(MID, 52), (MID, 70)]))
    return out


def back_landmarks() -> list[dict]:
    L, M = BACK_LAT, BACK_MED
    y = np.array([POPLITEAL_Y])
    lx, mx = float(L(y)[0]), float(M(y)[0])
    lat_m = float(L(np.array([912.0]))[0])
    med_m = float(M(np.array([906.0]))[0])
    return [
        lm("iliac_crest", chaikin(BACK_CREST[:-1], closed=False, iterations=3)),
        lm("psis_dimple", ellipse(256, 150, 5, 5, 16), closed=True),
        lm("sacrum_border", chaikin([(256, 160), (268, 212), (290, 254), (MID, 262)],
                                    closed=False, iterations=3)),
        lm("gluteal_fold", chaikin([(290, 318), (270, 334), (238, 343), (205, 341), (186, 336)],
                                   closed=False, iterations=3)),
        lm("popliteal_crease", chaikin(
            [(lx + 22, POPLITEAL_Y + 2), ((lx + mx) / 2, POPLITEAL_Y + 7),
             (mx - 20, POPLITEAL_Y + 2)], closed=False, iterations=3)),
        lm("lateral_malleolus", arc(lat_m + 4, 912, 7, 11, 100, 260, 10)),
        lm("medial_malleolus", arc(med_m - 4, 906, 7, 11, -80, 80, 10)),
    ]


def back_midline() -> list[dict]:
    return [
        lm("midline.spine", [(MID, Y_TOP + 6), (MID, 262)]),
        lm("midline.natal_cleft", chaikin([(MID, 262), (MID, 285), (MID - 1, 300)],
                                          closed=False, iterations=2)),
    ]


def side_landmarks() -> list[dict]:
    P, A = SIDE_POST, SIDE_ANT
    kx = float(A(np.array([610.0]))[0])
    px = float(P(np.array([606.0]))[0])
    return [
        lm("iliac_crest", chaikin([(120, 118), (170, 112), (230, 118), (282, 140)],
                                  closed=False, iterations=3)),
        lm("greater_trochanter", ellipse(196, 250, 18, 14, 24), closed=True),
        lm("gluteal_fold", chaikin([(92, 316), (118, 336), (150, 340)], closed=False,
                                   iterations=3)),
        lm("patella", arc(kx - 14, 608, 14, 26, -75, 75, 12)),
        lm("popliteal_crease", [(px + 2, 606), (px + 26, 610)]),
        lm("fibular_head", ellipse(float((P(np.array([665.0]))[0] + A(np.array([665.0]))[0]) / 2)
                                   - 12, 668, 7, 6, 14), closed=True),
        lm("lateral_malleolus", ellipse(202, 912, 10, 12, 24), closed=True),
        lm("toes", chaikin([(356, 970), (352, 984), (356, 995)], closed=False, iterations=2)),
    ]


# --------------------------------------------------------------------------- assembling


def mirror(g, cx: float):
    return snap(affinity.scale(g, xfact=-1.0, yfact=1.0, origin=(cx, 0.0)))


def mirror_pts(pts: list, cx: float) -> list:
    return [[2 * cx - x, y] for x, y in pts]


def geo(g) -> dict:
    """GeoJSON geometry rounded to the 0.1 grid."""
    g = as_area(snap(g))
    m = mapping(g)

    def rnd(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(c[0]), 1), round(float(c[1]), 1)]
        return [rnd(x) for x in c]

    return {"type": m["type"], "coordinates": rnd(m["coordinates"])}


def round_landmarks(lms: list[dict]) -> list[dict]:
    return [
        {"id": d["id"], "points": [[round(x, 1), round(y, 1)] for x, y in d["points"]],
         "closed": d["closed"]}
        for d in lms
    ]


def place(view: str, canonical_regions: dict, canonical_derms: dict, cx: float):
    """Put the canonical (patient's RIGHT, lateral at small x) half where it belongs.

    front: the patient's right is on the viewer's LEFT (canonical as is), the left half is its
    mirror image. back: the patient's right is on the viewer's RIGHT (mirrored).
    """
    right_mirrored = view == "back"
    regions: dict[str, object] = {}
    unassigned: dict[str, object] = {}
    derms: dict[str, object] = {}
    for side in SIDES:
        flip = (side == "right") == right_mirrored
        for label, g in canonical_regions.items():
            gg = mirror(g, cx) if flip else g
            if label.startswith("@"):
                name = label[1:]
                prev = unassigned.get(name)
                unassigned[name] = gg if prev is None else shapely.union(prev, gg, grid_size=GRID)
            else:
                regions[f"{side}.{label}"] = gg
        for root, g in canonical_derms.items():
            derms[f"{side}.{root}"] = mirror(g, cx) if flip else g
    return regions, unassigned, derms


def build_view_fb(view: str) -> dict:
    half = front_half() if view == "front" else back_half()
    other = mirror(half, MID)
    outline = snap(shapely.union(half, other, grid_size=GRID))
    if view == "front":
        c_regions, c_derms = front_regions(half)
        c_lms = front_landmarks()
        title = "FRONT — patient facing you"
    else:
        c_regions, c_derms = back_regions(half)
        c_lms = back_landmarks()
        title = "BACK — patient's back to you"
    regions, unassigned, derms = place(view, c_regions, c_derms, MID)
    right_flip = view == "back"
    landmarks = []
    for side in SIDES:
        flip = (side == "right") == right_flip
        for d in c_lms:
            pts = mirror_pts(d["points"], MID) if flip else d["points"]
            landmarks.append({"id": f"{side}.{d['id']}", "points": pts, "closed": d["closed"]})
    if view == "back":
        landmarks += back_midline()
    else:
        landmarks = [d for d in landmarks if not d["id"].endswith("umbilicus_line")]
    right_x = 74 if view == "front" else FB_WIDTH - 74
    left_x = FB_WIDTH - right_x
    labels = [
        {"text": title, "x": MID, "y": 27, "size": 20},
        {"text": "RIGHT", "x": right_x, "y": 470, "size": 36},
        {"text": "LEFT", "x": left_x, "y": 470, "size": 36},
    ]
    return finish(view, FB_WIDTH, title.split(" —")[0].title(), outline, regions, unassigned,
                  derms, landmarks, labels)


def build_view_side(view: str) -> dict:
    outline = side_outline()
    c_regions, c_derms = side_regions(outline)
    cx = SIDE_WIDTH / 2
    side = "right" if view == "right_side" else "left"
    flip = side == "left"
    regions, unassigned, derms = {}, {}, {}
    for label, g in c_regions.items():
        gg = mirror(g, cx) if flip else g
        if label.startswith("@"):
            unassigned[label[1:]] = gg
        else:
            regions[f"{side}.{label}"] = gg
    for root, g in c_derms.items():
        derms[f"{side}.{root}"] = mirror(g, cx) if flip else g
    landmarks = [
        {"id": f"{side}.{d['id']}",
         "points": mirror_pts(d["points"], cx) if flip else d["points"],
         "closed": d["closed"]}
        for d in side_landmarks()
    ]
    front_x, back_x = (362, 50) if not flip else (SIDE_WIDTH - 362, SIDE_WIDTH - 50)
    labels = [
        {"text": f"{side.upper()} SIDE", "x": cx, "y": 30, "size": 30},
        {"text": "FRONT", "x": front_x, "y": 470, "size": 20},
        {"text": "BACK", "x": back_x, "y": 470, "size": 20},
    ]
    if flip:
        outline = mirror(outline, cx)
    title = f"{side.title()} side"
    return finish(view, SIDE_WIDTH, title, outline, regions, unassigned, derms, landmarks, labels)


def repair(layer: dict) -> None:
    """Rebuild a layer from the faces of its noded boundaries (in place): every face goes to
    the label that covers most of it, so neighbours end up sharing exactly the same edges and
    near-coincident edges (hairline overlaps/gaps) disappear."""
    lines = shapely.union_all([g.boundary for g in layer.values()], grid_size=GRID)
    faces = [f for f in polys(shapely.polygonize(shapely.get_parts(lines))) if f.area > 0]
    labels = sorted(layer)
    owner: dict[str, list] = {k: [] for k in labels}
    for f in faces:
        best, best_a = None, 0.0
        for k in labels:
            a = shapely.intersection(layer[k], f).area
            if a > best_a:
                best, best_a = k, a
        if best is not None and best_a > 0.5 * f.area:
            owner[best].append(f)
    for k in labels:
        layer[k] = as_area(shapely.union_all(owner[k], grid_size=GRID))


def conform(*layers: dict) -> None:
    """Insert every vertex that lies on a neighbour's edge into that edge (in place), so that
    adjacent polygons share identical edges, as ``shapely.coverage_is_valid`` requires."""
    geoms = [g for layer in layers for g in layer.values()]
    coords = np.unique(np.vstack([shapely.get_coordinates(g) for g in geoms]), axis=0)
    pts = shapely.multipoints(coords)
    for layer in layers:
        for k in layer:
            layer[k] = as_area(shapely.snap(layer[k], pts, 0.01))


SLIM = 0.1  # coverage_simplify tolerance in diagram units: invisible even zoomed in


def slim(layer: dict) -> None:
    """Drop vertices the eye cannot see, keeping shared edges shared (in place)."""
    keys = list(layer)
    simple = shapely.coverage_simplify([layer[k] for k in keys], SLIM)
    for k, g in zip(keys, simple, strict=True):
        layer[k] = as_area(shapely.set_precision(g, GRID))


def finish(view, width, title, outline, regions, unassigned, derms, landmarks, labels) -> dict:
    both = {**regions, **{"@" + k: g for k, g in unassigned.items()}}
    repair(both)
    conform(both)
    slim(both)
    outline = as_area(shapely.union_all(list(both.values()), grid_size=GRID))
    regions = {k: g for k, g in both.items() if not k.startswith("@")}
    unassigned = {k[1:]: g for k, g in both.items() if k.startswith("@")}
    repair(derms)
    conform(derms)
    slim(derms)
    derms = {k: as_area(shapely.intersection(g, outline, grid_size=GRID))
             for k, g in derms.items()}
    missing = [r for r in regions if regions[r].is_empty]
    if missing:
        raise RuntimeError(f"{view}: empty regions {missing}")
    cover = list(regions.values()) + list(unassigned.values())
    if not shapely.coverage_is_valid(cover):
        raise RuntimeError(f"{view}: regions are not a valid coverage")
    if not shapely.coverage_is_valid(list(derms.values())):
        raise RuntimeError(f"{view}: dermatomes overlap")
    bad = [k for k, g in {**regions, **unassigned, **derms}.items() if not g.is_valid]
    if bad:
        raise RuntimeError(f"{view}: invalid polygons {bad}")
    gap = shapely.symmetric_difference(shapely.union_all(cover), outline).area
    if gap > 1e-3 * outline.area:
        raise RuntimeError(f"{view}: regions do not fill the outline ({gap:.1f})")
    return {
        "width": width,
        "height": HEIGHT,
        "title": title,
        "outline": geo(outline),
        "regions": {k: geo(regions[k]) for k in sorted(regions, key=region_order)},
        "unassigned": {k: geo(unassigned[k]) for k in sorted(unassigned)},
        "dermatomes": {k: geo(derms[k]) for k in sorted(derms, key=derm_order)},
        "landmarks": round_landmarks(landmarks),
        "labels": labels,
    }


def region_order(rid: str) -> tuple[int, int]:
    side, _, base = rid.partition(".")
    return SIDES.index(side), list(BASE_REGIONS).index(base)


def derm_order(did: str) -> tuple[int, int]:
    side, _, root = did.partition(".")
    return SIDES.index(side), DERMATOME_ROOTS.index(root)


def build() -> dict:
    views = {}
    for view in VIEWS:
        views[view] = build_view_fb(view) if view in ("front", "back") else build_view_side(view)
    return {
        "format": "hipmap.atlas/1",
        "generated_by": "tools/build_atlas.py",
        "dermatome_source": DERMATOME_SOURCE,
        "views": views,
    }


def main() -> None:
    atlas = build()
    atlas_path = ROOT / "assets" / "atlas" / "atlas.json"
    atlas_path.parent.mkdir(parents=True, exist_ok=True)
    atlas_path.write_text(json.dumps(atlas, separators=(",", ":"), ensure_ascii=False) + "\n",
                          encoding="utf-8")
    # reload so the SVG is produced from exactly what was written (as the test does)
    atlas = json.loads(atlas_path.read_text(encoding="utf-8"))
    diagram = ROOT / "assets" / "diagram"
    diagram.mkdir(parents=True, exist_ok=True)
    for view in VIEWS:
        (diagram / f"{view}.svg").write_text(atlas_to_svg(atlas, view), encoding="utf-8")
    for view, v in atlas["views"].items():
        print(f"{view}: {len(v['regions'])} regions, {len(v['dermatomes'])} dermatomes, "
              f"{len(v['unassigned'])} unassigned")
    print(f"wrote {atlas_path.relative_to(ROOT)} and assets/diagram/*.svg")


if __name__ == "__main__":
    main()

