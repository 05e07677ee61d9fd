"""The region list (see :mod:`.widgets`)."""

from hipmap.ui.regions.widgets import RegionList, percent

__all__ = ["RegionList", "percent"]
