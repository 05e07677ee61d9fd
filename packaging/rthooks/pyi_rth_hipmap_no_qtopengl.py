# PyInstaller runtime hook (packaging/hipmap.spec): pyqtgraph imports PySide6.QtOpenGL when it
# is imported (for PColorMeshItem's OpenGL path), but hipmap draws everything with QPainter
# and never uses OpenGL. The 9 MB binding is left out of the bundle; this stand-in satisfies
# the import, and any use of it fails with a clear AttributeError instead of a crash.
import sys
import types


class _NotBundled(types.ModuleType):
    def __getattr__(self, name: str):
        raise AttributeError(f"PySide6.QtOpenGL.{name}: Qt's OpenGL module is not in the "
                             "hipmap bundle (packaging/hipmap.spec)")


sys.modules.setdefault("PySide6.QtOpenGL", _NotBundled("PySide6.QtOpenGL"))
