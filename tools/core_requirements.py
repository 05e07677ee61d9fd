"""Print the requirements of a Qt-free environment, one a line, read from pyproject.toml:
hipmap's dependencies and its ``dev`` extra without the Qt ones (PySide6, pyqtgraph,
pytest-qt). ``make test-core`` installs them beside ``pip install --no-deps -e .`` to prove
that everything but the UI runs without Qt."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT = ("pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6", "pyqtgraph", "pytest-qt",
      "qtpy")


def requirements(root: Path = ROOT) -> list[str]:
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return [r for r in reqs if _name(r) not in QT]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def qt_present() -> list[str]:
    """The Qt modules this interpreter can import (none in the Qt-free environment)."""
    import importlib.util

    return [m for m in ("PySide6", "shiboken6", "pyqtgraph", "qtpy")
            if importlib.util.find_spec(m) is not None]


if __name__ == "__main__":
    if sys.argv[1:] == ["--check-no-qt"]:
        found = qt_present()
        if found:
            sys.exit(f"this environment must not have Qt, but it can import {found}")
        print("no Qt in this environment")
    else:
        sys.stdout.write("".join(f"{r}\n" for r in requirements()))
