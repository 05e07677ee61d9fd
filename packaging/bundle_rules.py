"""What the desktop bundle leaves out: files that Qt's hooks collect but hipmap never loads.

``hipmap.spec`` filters PyInstaller's binaries and data through :func:`unwanted`; each rule
below was checked with the frozen app's ``--self-test``, ``assess``, ``render`` and ``report``
(packaging/README.md, "What the bundle leaves out"). Paths are the ones inside the bundle, with
"/" separators, on all three systems:

    Linux    PySide6/Qt/lib/libQt6Network.so.6     PySide6/Qt/plugins/platforms/libqvnc.so
    macOS    PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork
    Windows  PySide6/Qt6Network.dll                 PySide6/plugins/platforms/qdirect2d.dll

Kept on purpose, for the branches that come after this one: QtSvg (icons; the kiosk), the
platform plugins' touch support (xcb, wayland, windows, cocoa), QtSql is NOT needed by the
clinic record (SQLAlchemy talks to the database itself; Python's sqlite3 stays in the bundle).
"""

from __future__ import annotations

# Plugin folders no hipmap window uses. Platform plugins kept: xcb + wayland (Linux desktops),
# offscreen + minimal (self-test, CI), windows, cocoa. Image formats kept: svg, ico, icns.
DROP_DIRS = (
    "plugins/designer/", "plugins/qmltooling/", "plugins/sqldrivers/", "plugins/tls/",
    "plugins/networkinformation/", "plugins/egldeviceintegrations/",
    "plugins/wayland-graphics-integration-server/", "plugins/vectorimageformats/",
    "plugins/position/", "plugins/multimedia/", "plugins/sceneparsers/",
    "plugins/geometryloaders/", "plugins/renderers/", "plugins/webview/", "qml/",
    "plugins/generic/",          # evdev/tuio input for eglfs/linuxfb (dropped); desktops
                                 # deliver touch through xcb/wayland/windows/cocoa (kept)
    # pyqtgraph's mascot pictures (only its examples show them)
    "pyqtgraph/icons/peegee/",
)
DROP_FILES = (
    "platforms/libqeglfs", "platforms/libqlinuxfb", "platforms/libqvnc",
    "platforms/libqvkkhrdisplay", "platforms/libqminimalegl", "platforms/qdirect2d",
    "platforminputcontexts/libqtvirtualkeyboardplugin",
    # the GTK3 platform theme would bring the whole GTK/cairo/pango stack (~30 MB); Qt's
    # Fusion style and the XDG desktop portal theme (kept) serve hipmap as well
    "platformthemes/libqgtk3",
    "imageformats/libqpdf", "imageformats/qpdf", "imageformats/libqtiff", "imageformats/qtiff",
    "imageformats/libqwebp", "imageformats/qwebp", "imageformats/libqtga", "imageformats/qtga",
    "imageformats/libqwbmp", "imageformats/qwbmp", "imageformats/libqgif", "imageformats/qgif",
    "imageformats/libqjpeg", "imageformats/qjpeg",
)
# Qt libraries of modules hipmap does not use (their Python bindings are in the spec's
# EXCLUDES, but a plugin can still drag the library in), by their Qt 6 names. On macOS the
# same libraries are frameworks without the "6": QtNetwork.framework.
QT_LIBRARIES = (
    "Qt6Quick", "Qt6Qml", "Qt6WebEngine", "Qt6Pdf", "Qt6Designer", "Qt6Multimedia",
    "Qt6Network", "Qt6VirtualKeyboard", "Qt6Sql", "Qt63D", "Qt6Lottie", "Qt6Labs", "Qt6Help",
    "Qt6Charts", "Qt6Graphs",
    # the eglfs platform's libraries (the plugin itself is dropped above)
    "Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport",
)
# Qt's own translations (qtbase_de.qm, ...) for Qt's dialogs and standard buttons: the shipped
# languages' (hipmap.i18n.LANGUAGES but English, which needs none; hipmap/ui/app.py loads them).
KEEP_QT_TRANSLATIONS: tuple[str, ...] = ("qtbase_es.qm",)


def framework_name(qt6_name: str) -> str:
    """``Qt6Network`` -> ``QtNetwork`` (the macOS framework of the same library)."""
    return "Qt" + qt6_name[3:] if qt6_name.startswith("Qt6") else qt6_name


def unwanted(dest: str) -> bool:
    """True for a bundle path (see the module docstring) that hipmap never loads."""
    d = dest.replace("\\", "/")
    if d.startswith("pyqtgraph/"):
        return any(d.startswith(part) for part in DROP_DIRS)
    if "/Qt/" not in "/" + d and not d.startswith("PySide6/"):
        return False
    if any(part in d for part in DROP_DIRS):
        return True
    if any(part in d for part in DROP_FILES):
        return True
    name = d.rsplit("/", 1)[-1]
    if "/translations/" in d and name.endswith(".qm"):
        return name not in KEEP_QT_TRANSLATIONS
    frameworks = [part for part in d.split("/") if part.endswith(".framework")]
    for lib in QT_LIBRARIES:  # prefixes: "Qt6Quick" also means Qt6QuickWidgets, Qt6Quick3D...
        if name.startswith((lib, "lib" + lib)):
            return True
        if any(f.startswith(framework_name(lib)) for f in frameworks):
            return True
    return False
