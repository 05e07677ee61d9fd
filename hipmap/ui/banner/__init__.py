"""The red-flag banner (see :mod:`.widgets`)."""

from hipmap.ui.banner.widgets import RedFlagBanner

__all__ = ["RedFlagBanner"]
