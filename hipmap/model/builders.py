"""The edits a person makes on the diagram and the region list, built from the model — Qt-free.

The widgets say *what* the user did (rubbed out along a path, tapped a region, ticked or
unticked a row, changed a row's intensity); these functions turn it into the one undoable
:class:`~hipmap.model.edits.Edit` that does it, or ``None`` when it would change nothing.
Every rubbing-out (the eraser, unticking a region) goes through one loop, :func:`rub_out`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hipmap.core.document import RegionMark, Stroke
from hipmap.i18n import _
from hipmap.knowledge.texts import region_label
from hipmap.model.edits import AddMarks, Edit, RemoveMarks, ReplaceMarks

if TYPE_CHECKING:
    from collections.abc import Sequence

    from shapely.geometry.base import BaseGeometry

    from hipmap.model.drawing import DrawingModel


def rub_out(model: DrawingModel, name: str, shape_in: Callable[[str], BaseGeometry | None],
            *, drop: Sequence[int] = ()) -> ReplaceMarks | None:
    """Cut every stroke of the drawing where it meets ``shape_in(view)`` (``None``: that view
    is untouched); the ids in ``drop`` are removed whole. One edit, or ``None`` if nothing
    changes."""
    from hipmap.geometry.coverage import erase  # numpy + shapely: only when needed

    remove = list(drop)
    add: list[Stroke] = []
    for mid, mark in model.marks.items():
        if not isinstance(mark, Stroke) or mid in drop:
            continue
        shape = shape_in(mark.view)
        if shape is None:
            continue
        pieces = erase(mark, shape)
        if pieces != [mark]:
            remove.append(mid)
            add.extend(pieces)
    if not remove:
        return None
    return ReplaceMarks(name, remove=remove, add=list(add))


def erase_along(model: DrawingModel, view: str, points: Sequence[tuple[float, float]],
                width: float) -> ReplaceMarks | None:
    """The eraser dragged along ``points`` (a brush ``width`` wide) in ``view``."""
    from hipmap.geometry.coverage import stroke_polygon

    eraser = stroke_polygon(points, width)
    return rub_out(model, _("Erase"), lambda v: eraser if v == view else None)


def region_marks(model: DrawingModel, region_id: str) -> dict[int, RegionMark]:
    """The "whole region hurts" marks of one region, by mark id."""
    return {i: m for i, m in model.marks.items()
            if isinstance(m, RegionMark) and m.region == region_id}


def tap_region(model: DrawingModel, region_id: str, intensity: float,
               quality: str | None) -> Edit:
    """A tap on a region: fills it when it has no region mark, else empties it."""
    name = region_label(region_id, full=False)  # 'RIGHT outer hip': the side first
    existing = list(region_marks(model, region_id))
    if existing:
        return RemoveMarks(_("Empty {region}").format(region=name), ids=existing)
    return AddMarks(_("Fill {region}").format(region=name), [
        RegionMark(region=region_id, intensity=float(intensity), quality=quality)])


def tick_region(model: DrawingModel, region_id: str, on: bool, intensity: float,
                quality: str | None) -> Edit | None:
    """A region-list row ticked (the whole region hurts) or unticked (the region mark goes
    and every stroke inside the region is rubbed out, in every view that shows it)."""
    name = region_label(region_id, full=False)  # 'RIGHT outer hip': the side first
    marks = region_marks(model, region_id)
    if on:
        if marks:
            return None
        return AddMarks(_("Tick {region}").format(region=name), [
            RegionMark(region=region_id, intensity=float(intensity), quality=quality)])
    atlas = model.coverage.atlas

    def inside(view: str) -> BaseGeometry | None:
        area = atlas.view(view).regions.get(region_id)
        return None if area is None else area.geom

    return rub_out(model, _("Clear {region}").format(region=name), inside, drop=list(marks))


def rate_region(model: DrawingModel, region_id: str, intensity: float,
                quality: str | None) -> Edit | None:
    """The intensity or quality of a region-list row changed: ticks the region if needed,
    else replaces its region mark (keeping its coverage and unknown keys)."""
    name = region_label(region_id, full=False)  # 'RIGHT outer hip': the side first
    marks = region_marks(model, region_id)
    new = RegionMark(region=region_id, intensity=float(intensity), quality=quality)
    if not marks:
        return AddMarks(_("Tick {region}").format(region=name), [new])
    old = next(iter(marks.values()))
    if (old.intensity, old.quality) == (new.intensity, new.quality):
        return None
    new = RegionMark(region=region_id, intensity=new.intensity, quality=new.quality,
                     coverage=old.coverage, extra=old.extra)
    return ReplaceMarks(_("Set {region}").format(region=name), remove=list(marks), add=[new])
