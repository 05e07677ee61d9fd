"""Where hipmap's bundled assets and the user's data live (Qt-free).

``assets_dir`` finds the bundled assets (source tree, installed wheel or frozen app).
``data_dir`` is the per-user data folder, the same one Qt's ``AppDataLocation`` names for
organisation "hipmap" and application "hipmap", so the app and the Qt-free parts (the
command line, the record, the recovery journal) agree without importing Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ORG = "hipmap"
APP = "hipmap"


def assets_dir() -> Path:
    """The ``assets/`` folder: beside the package in a source tree, in the bundle when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "assets"
    here = Path(__file__).resolve().parent
    for candidate in (here / "assets", here.parent / "assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("hipmap's assets folder was not found next to the package")


def data_dir() -> Path:
    """The per-user data folder (not created here). ``HIPMAP_DATA_DIR`` overrides it.

    Windows ``%APPDATA%\\hipmap\\hipmap``, macOS ``~/Library/Application Support/hipmap/hipmap``,
    elsewhere ``$XDG_DATA_HOME/hipmap/hipmap`` (default ``~/.local/share``).
    """
    override = os.environ.get("HIPMAP_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / ORG / APP
