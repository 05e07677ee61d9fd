"""Files: the file controller (new, open, save, save as, recent files, the recovery journal,
PNG export) and its dialogs. The window wires its File menu to :class:`FileController`."""

from hipmap.model.store import MAX_RECENT, SUFFIX
from hipmap.ui.files.controller import FileController, SettingsRecentList, file_filter

__all__ = ["MAX_RECENT", "SUFFIX", "FileController", "SettingsRecentList", "file_filter"]
