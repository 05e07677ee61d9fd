"""Run one feature's widget on its own, with a sample drawing, for a quick look:

    python -m hipmap.ui.questions            # a window with just the questions
    python -m hipmap.ui.canvas --grab c.png  # offscreen: render it to a PNG and exit

Every feature folder's ``__main__`` calls :func:`run` with a function that builds its
widget from a :class:`Sample`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from hipmap.geometry.atlas import Atlas
    from hipmap.knowledge.base import KnowledgeBase
    from hipmap.model.drawing import DrawingModel
    from hipmap.ui.commands import Editor
    from hipmap.ui.tools import ToolState


@dataclass
class Sample:
    """A drawing to show: sciatica-like strokes on the patient's right, two answers."""

    atlas: Atlas
    kb: KnowledgeBase
    model: DrawingModel
    editor: Editor
    tools: ToolState


def sample() -> Sample:
    from hipmap.core.document import Stroke
    from hipmap.geometry.atlas import load_atlas
    from hipmap.knowledge.base import load_knowledge
    from hipmap.model.drawing import DrawingModel
    from hipmap.model.edits import AddMarks
    from hipmap.ui.commands import Editor
    from hipmap.ui.tools import ToolState

    atlas = load_atlas()
    model = DrawingModel(atlas=atlas)
    editor = Editor(model)
    va = atlas.view("back")
    x, y = va.regions["right.posterior_thigh"].geom.representative_point().coords[0]
    points = tuple((round(x, 1), round(y + dy, 1)) for dy in range(-150, 251, 10))
    editor.push(AddMarks("Stroke", [Stroke("back", points, 22.0, 8, "shooting")]))
    editor.set_answer("leg_pain_worse_than_back", True)
    editor.set_answer("worse_cough_sneeze", True)
    return Sample(atlas, load_knowledge(), model, editor, ToolState())


def run(build: Callable[[Sample], QWidget], title: str, size: tuple[int, int] = (480, 640),
        argv: list[str] | None = None) -> int:
    """Show ``build(sample())`` in its own window; ``--grab FILE`` renders it and exits."""
    p = argparse.ArgumentParser(description=f"hipmap: {title}, on its own")
    p.add_argument("--grab", metavar="FILE.png", help="render the widget to a PNG and exit")
    p.add_argument("--lang", help="language (as hipmap --lang)")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    from hipmap.i18n import choose_language, set_language

    set_language(choose_language(args.lang))
    from hipmap.ui.app import make_app

    app = make_app(["hipmap"])
    widget = build(sample())
    widget.setWindowTitle(f"hipmap — {title}")
    widget.resize(*size)
    widget.show()
    if args.grab:
        app.processEvents()
        return 0 if widget.grab().save(args.grab, "PNG") else 1
    return app.exec()
