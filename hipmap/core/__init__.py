"""The Qt-free core: ids, the drawing document and its validation."""
