"""The editable drawing's Qt-free parts: the recovery journal now; the drawing model moves
here later (design.md)."""
