"""Guard against a Qt-binding regression that crashes the app.

PySide6-Essentials 6.12.0 on CPython 3.11 drops one reference to None on every Qt method that
returns nothing; after a few thousand calls (seconds of painting) the interpreter aborts with
"none_dealloc" and the user's session dies. pyproject.toml excludes that release; this test
fails if an installed release has the same bug, so it cannot ship unnoticed.
"""

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath


def test_void_qt_calls_do_not_leak_references_to_none():
    p, path = QPointF(1, 2), QPainterPath()
    before = sys.getrefcount(None)
    for _ in range(500):
        p.setX(3.0)
        path.lineTo(1.0, 2.0)
    assert abs(sys.getrefcount(None) - before) < 50
