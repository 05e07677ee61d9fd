"""The editable drawing, Qt-free: the drawing model (:mod:`.drawing`), its undoable edits
(:mod:`.edits`) and the recovery journal (:mod:`.journal`)."""
