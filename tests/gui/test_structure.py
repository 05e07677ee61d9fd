"""The UI's structure keeps its promises: each feature's widget runs on its own; the window
reads and writes drawings only through a document store (so another store plugs in); a
save never overwrites a drawing changed elsewhere."""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path

import pytest
from guihelpers import drag, vertical_line
from PySide6.QtGui import QImage

FEATURES = ["canvas", "assessment", "questions", "regions", "patient", "banner", "tools",
            "record"]


@pytest.mark.parametrize("feature", FEATURES)
def test_each_feature_runs_on_its_own(qapp, tmp_path, monkeypatch, feature):
    """python -m hipmap.ui.<feature> --grab FILE: the widget with a sample drawing."""
    out = tmp_path / f"{feature}.png"
    monkeypatch.setattr(sys, "argv", [feature, "--grab", str(out)])
    with pytest.raises(SystemExit) as done:
        runpy.run_module(f"hipmap.ui.{feature}", run_name="__main__")
    assert done.value.code == 0
    img = QImage(str(out))
    assert not img.isNull() and img.width() > 100
    colours = {img.pixel(x, y) for x in range(0, img.width(), 7)
               for y in range(0, img.height(), 7)}
    assert len(colours) > 3  # something was drawn, not an empty window
    for w in qapp.topLevelWidgets():
        w.close()


def _paint(win) -> None:
    x, y = win.atlas.view("back").regions["right.posterior_thigh"].geom \
        .representative_point().coords[0]
    drag(win.canvas, "back", vertical_line(x, y - 40, y + 40))


def test_a_save_over_a_file_changed_elsewhere_is_refused(make_window, tmp_path, dialogs):
    win = make_window()
    _paint(win)
    path = tmp_path / "visit.hipmap.json"
    assert win.files.save_as(str(path))
    other = {"format": "hipmap.drawing/1", "patient": {"id": "OTHER"}}
    path.write_text(json.dumps(other))  # another program (or window) rewrites it
    _paint(win)
    assert not win.files.save()
    (_title, message), = dialogs.errors
    assert "visit.hipmap.json" in message and "Save As" in message
    assert json.loads(path.read_text()) == other  # nothing was written over it
    assert win.isWindowModified()
    assert win.files.save_as(str(tmp_path / "mine.hipmap.json"))  # the way out
    assert not win.isWindowModified()


class MemoryStore:
    """A second DocumentStore (what the clinic record will be): drawings in a dict, each
    with a version number."""

    def __init__(self, journals) -> None:
        from hipmap.core.document import Document

        self.journals = journals
        self.drawings = {"visit-1": (Document(patient={"id": "P-7"}), 1)}
        self.saves: list[tuple[str, object]] = []

    def open(self, ref):
        from hipmap.model.store import Stored

        doc, version = self.drawings[ref]
        return Stored(doc, ref, version, self.name(ref))

    def save(self, doc, ref, *, expected):
        from hipmap.model.store import Stored, VersionConflict

        version = self.drawings.get(ref, (None, 0))[1]
        if expected is not None and expected != version:
            raise VersionConflict(ref, expected, version)
        self.drawings[ref] = (doc, version + 1)
        self.saves.append((ref, expected))
        return Stored(doc, ref, version + 1, self.name(ref))

    def recent(self):
        return list(self.drawings)

    def name(self, ref):
        return f"visit {ref.split('-')[1]}"


def test_another_document_store_plugs_in_without_touching_widgets(make_window, tmp_path,
                                                                  dialogs):
    from hipmap.model.journal import FileJournalStore
    from hipmap.ui.files import FileController

    win = make_window()
    store = MemoryStore(FileJournalStore(tmp_path / "journals"))
    files = FileController(win, win.model, win.stack, store=store,
                           ask_save=lambda: "discard", show_error=dialogs.show_error)
    assert files.open_file("visit-1")
    assert win.patient_header.pid.text() == "P-7"  # the widgets follow the model
    assert files.display_name() == "visit 1"
    _paint(win)
    assert files.save()
    assert store.saves == [("visit-1", 1)]  # saved with the version it read
    assert store.drawings["visit-1"][1] == 2 and store.drawings["visit-1"][0].marks
    store.drawings["visit-1"] = (store.drawings["visit-1"][0], 5)  # someone else saved
    _paint(win)
    assert not files.save() and store.drawings["visit-1"][1] == 5
    assert "visit 1" in dialogs.errors[-1][1]
    win.stack.setClean()
    files.close()


def test_the_main_window_is_wiring_only():
    """The window builds and connects; it does no file I/O and reads no widget's internals
    (what issue 8 found: 793 lines, file I/O, recent files, recovery and dialogs in it)."""
    src = (Path(__file__).resolve().parents[2] / "hipmap" / "ui" / "main_window.py").read_text()
    for leak in ("QFileDialog", "QMessageBox", "document import load", ".territory_check",
                 ".evidence_html(", "journal import replay", "settings.value(\"recent\""):
        assert leak not in src, leak
    assert len(src.splitlines()) < 420
