"""Application start-up: ``hipmap`` (clinician window), ``--kiosk`` (hipmap/ui/kiosk) and
``--self-test``."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

import hipmap
from hipmap.i18n import _, language
from hipmap.paths import APP, ORG, assets_dir


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with names for QSettings/QStandardPaths and crisp high-DPI output."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv or ["hipmap"])
    QCoreApplication.setOrganizationName(ORG)
    QCoreApplication.setOrganizationDomain("hipmap.invalid")
    QCoreApplication.setApplicationName(APP)
    QGuiApplication.setApplicationDisplayName("hipmap")
    if app.style().name().lower() != "fusion":  # the same look on every system
        app.setStyle("Fusion")
    font = QFont(app.font())
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(9.5)
        app.setFont(font)
    install_qt_translations(app, language())
    return app  # type: ignore[return-value]


def install_qt_translations(app: QCoreApplication, lang: str) -> bool:
    """Qt's own texts (standard buttons, the file and print dialogs) in ``lang``, from Qt's
    ``qtbase_<lang>.qm``; hipmap's own texts come from its gettext catalogs (hipmap.i18n).
    Replaces what an earlier call installed. True when a catalog was loaded (English needs
    none; packaging/bundle_rules.py keeps the shipped languages' catalogs in the bundle)."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    for old in getattr(app, "_hipmap_translators", []):
        app.removeTranslator(old)
    app._hipmap_translators = []  # type: ignore[attr-defined]
    if lang.split("_")[0] == "en":  # English and the pseudo-locale: Qt's texts as they are
        return False
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    tr = QTranslator(app)
    # "es_MX" falls back to qtbase_es; the pseudo-locale has no Qt catalog
    if not tr.load(f"qtbase_{lang}", folder, "_"):
        return False
    app.installTranslator(tr)
    app._hipmap_translators.append(tr)  # type: ignore[attr-defined]
    return True


def finish_app(app: QApplication) -> None:
    """What the first frame does not need: the version (importlib.metadata, ~30 ms) and
    the window icon (the SVG icon engine)."""
    QCoreApplication.setApplicationVersion(hipmap.__version__)
    icon = assets_dir() / "icon" / "hipmap.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def install_error_handler(win: QWidget, log_dir: Path) -> Callable[..., None]:
    """An unexpected error inside the app is written to a log, the drawing is saved to the
    recovery file, and the user is told in plain words — never a silent failure or a lost
    drawing. Returns the hook (also installed as ``sys.excepthook``)."""
    log = Path(log_dir) / "hipmap-errors.log"

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        import traceback

        text = "".join(traceback.format_exception(exc_type, exc, tb))
        with contextlib.suppress(OSError):
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} hipmap "
                         f"{hipmap.__version__}\n{text}")
        with contextlib.suppress(Exception):
            win.files.flush_recovery()  # type: ignore[attr-defined]
        told = _("Something went wrong ({error}). Your drawing is kept; please save it. "
                 "Details: {log}").format(error=f"{exc_type.__name__}: {exc}", log=log)
        with contextlib.suppress(Exception):
            bar = win.statusBar()  # type: ignore[attr-defined]
            bar.setStyleSheet("QStatusBar { background: #ffd6d6; }")
            bar.showMessage(told)
        if sys.stderr is not None:
            with contextlib.suppress(Exception):
                sys.stderr.write(text)
        else:  # a windowed program (hipmap.exe) has no stderr: say it in a dialog
            with contextlib.suppress(Exception):
                from PySide6.QtWidgets import QMessageBox

                box = QMessageBox(QMessageBox.Icon.Critical, "hipmap", told,
                                  QMessageBox.StandardButton.Ok, win)
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.open()  # not exec(): no nested event loop inside an exception hook

    sys.excepthook = hook
    return hook


class _FileOpenFilter(QObject):
    """macOS delivers a double-clicked document as a QFileOpenEvent, not an argument; one
    that arrives while the window is still loading is opened once it is ready."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.pending: list[str] = []

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if ev.type() == QEvent.Type.FileOpen:
            self.pending.append(ev.file())
            # only once crashed drawings have been offered (start_session)
            files = getattr(self.window, "files", None)
            if getattr(files, "session_started", False):
                self._open_pending()
            return True
        return super().eventFilter(obj, ev)

    def _open_pending(self) -> None:
        while self.pending:
            self.window.files.open_file(self.pending.pop(0))  # type: ignore[attr-defined]


#: Debian/Ubuntu packages Qt's X11 (xcb) platform plugin needs (Qt for Python docs).
XCB_PACKAGES = ("libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 "
                "libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 "
                "libxcb-xkb1 libxkbcommon-x11-0 libegl1")


def missing_display_library() -> str | None:
    """On Linux/X11, the system library Qt's xcb plugin cannot load, if any.

    Without it Qt aborts with a message that names neither the library nor the fix."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform not in ("", "xcb") or (not platform and os.environ.get("WAYLAND_DISPLAY")):
        return None
    if not os.environ.get("DISPLAY"):
        return None
    import ctypes
    from pathlib import Path

    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        return None  # a frozen or distro build: let Qt decide
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        text = str(exc)  # "libxcb-icccm.so.4: cannot open shared object file: ..."
        return text.split(":")[0].strip() if ".so" in text.split(":")[0] else text
    return None


def _socket_answers(family: int, address: Any) -> bool:
    import socket

    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(address)
        return True
    except OSError:
        return False


def _x11_answers(display: str) -> bool:
    """Whether an X server listens at ``DISPLAY`` (``[host]:N[.S]``); unknown forms: True."""
    import socket

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return True  # a form we do not know: let Qt try
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        return (_socket_answers(socket.AF_UNIX, "\0" + path)  # Linux's abstract socket
                or _socket_answers(socket.AF_UNIX, path))
    if host.startswith("/"):
        return _socket_answers(socket.AF_UNIX, host)
    return _socket_answers(socket.AF_INET, (host, 6000 + int(number)))


def _wayland_answers(name: str) -> bool:
    import socket

    if not os.path.isabs(name):
        runtime = os.environ.get("XDG_RUNTIME_DIR")
        if not runtime:
            return False
        name = os.path.join(runtime, name)
    return _socket_answers(socket.AF_UNIX, name)


def no_display() -> str | None:
    """On Linux, why no window can open (no display named, or none answering), else None.

    Checked before QApplication exists: without a display Qt aborts the process and claims
    that libxcb-cursor0 may be missing, which is rarely the reason."""
    if not sys.platform.startswith("linux"):
        return None
    wanted = os.environ.get("QT_QPA_PLATFORM", "")
    platforms = [p.split(":")[0].strip() for p in wanted.split(";") if p.strip()]
    if any(p not in ("xcb", "wayland", "wayland-egl") for p in platforms):
        return None  # offscreen, eglfs, vnc, ...: no desktop display needed
    x11, wayland = os.environ.get("DISPLAY", ""), os.environ.get("WAYLAND_DISPLAY", "")
    if not x11 and not wayland:
        return _("neither DISPLAY nor WAYLAND_DISPLAY is set")
    if (x11 and _x11_answers(x11)) or (wayland and _wayland_answers(wayland)):
        return None
    named = " or ".join(f"{k}={v}" for k, v in (("DISPLAY", x11), ("WAYLAND_DISPLAY", wayland))
                        if v)
    return _("nothing answers at {display}").format(display=named)


def run(kiosk: bool = False, db: str | None = None, self_test: bool = False,
        open_path: str | None = None, lang: str | None = None) -> int:
    """``lang``: the language asked for (``--lang`` or ``HIPMAP_LANG``), already set by the
    command line; without one, Qt's list of the user's languages (which knows macOS's and
    Windows' settings) decides among those hipmap has."""
    if not lang:
        from PySide6.QtCore import QLocale

        from hipmap.i18n import choose_language, set_language

        set_language(choose_language(None, system=QLocale.system().uiLanguages()))
    if kiosk:  # the guided patient kiosk (hipmap/ui/kiosk), never the clinician window
        from hipmap.ui.kiosk import run as run_kiosk
        from hipmap.ui.kiosk import self_test as kiosk_self_test

        if self_test:
            return kiosk_self_test(db)
        missing, reason = missing_display_library(), no_display()
        if missing or reason:
            print(_("hipmap --kiosk: no display to open the kiosk on: {reason}").format(
                reason=reason or missing), file=sys.stderr)
            return 1
        return run_kiosk(db)
    if self_test:
        return run_self_test()
    missing = missing_display_library()
    if missing:
        print(_("hipmap: cannot open a window: the system library {library} is missing. On "
                "Debian/Ubuntu: sudo apt install {packages}").format(
                    library=missing, packages=XCB_PACKAGES), file=sys.stderr)
        return 1
    reason = no_display()
    if reason:  # exit 1, not 2: the environment, not the user's input, is at fault
        print(_("hipmap: no display to open a window on: {reason}. Without one, use the "
                "command line (hipmap assess|render|report FILE) or hipmap --self-test.")
              .format(reason=reason), file=sys.stderr)
        return 1
    app = make_app(sys.argv[:1])
    from hipmap.ui.main_window import MainWindow

    # The window appears with the diagram at once; the rest is built after the first frame.
    win = MainWindow(db=db, progressive=True, record=True)  # the clinic record, always
    install_error_handler(win, win.data_dir)
    file_opens = _FileOpenFilter(win)
    app.installEventFilter(file_opens)

    def when_ready() -> None:
        finish_app(app)
        win.files.start_session(open_path)  # crashed drawings are offered before the file
        if win.record is not None:  # then visits with unsaved edits in the database journal
            win.record.session.offer_recovery()
        file_opens._open_pending()  # then files the system asked to open (macOS)

    win.ready.connect(when_ready)
    win.show()
    return app.exec()


def _self_test_record(app: QApplication, win: Any, url: str, rid: str) -> str:
    """The window's clinic record, as a clinician uses it: the painted drawing becomes a
    patient's visit, one more stroke is autosaved by the record's worker, and both read back
    from the database through a connection of their own."""
    from PySide6.QtTest import QTest

    session = win.record.session
    deadline = time.perf_counter() + 30
    while not session.ready and session.error is None and time.perf_counter() < deadline:
        QTest.qWait(10)
    if not session.ready:
        raise RuntimeError(f"the clinic record did not open: {session.error or 'timeout'}")
    session.patient = session.records.store.open_patient("SELF-TEST")
    if not session.new_visit():
        raise RuntimeError("New Visit did not store the drawing")
    ref = win.files.current_path
    win.editor.set_answer("age", 50)  # an edit: the autosave writes version 2
    deadline = time.perf_counter() + 30
    while (win.files.is_modified() or win.files.version != 2) and \
            time.perf_counter() < deadline:
        QTest.qWait(10)
    if win.files.version != 2:
        raise RuntimeError(f"the autosave did not reach the record: {session.error}")
    from hipmap.core.document import loads
    from hipmap.storage import open_store
    from hipmap.storage.documents import parse_ref

    with open_store(url) as store:
        visit = store.get_visit(parse_ref(ref))
    doc = loads(visit.document)
    regions = {r.id for r in win.model.assessment().regions}
    if visit.version != 2 or doc.answers.get("age") != 50 or len(doc.marks) != 1 \
            or visit.patient != "SELF-TEST" or rid not in regions:
        raise RuntimeError("the visit read back from the record differs from the drawing")
    return f"record: visit {visit.visit} saved and read back (SQLite)"


def run_self_test() -> int:
    """Offscreen: build the window, paint through the real canvas, check, render, exit."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.perf_counter()
    step = "start"
    try:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="hipmap-selftest-") as tmp:
            step = "create the application"
            from PySide6.QtCore import qInstallMessageHandler

            # the offscreen platform's notices are not failures; keep the output one line
            qInstallMessageHandler(lambda *_a: None)
            app = make_app(["hipmap"])
            finish_app(app)
            from PySide6.QtTest import QTest

            from hipmap.ui.main_window import MainWindow

            settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
            step = "build the main window"
            # the clinic record too, through the app's own code: a temporary SQLite file
            record_url = f"sqlite:///{Path(tmp) / 'self-test-record.db'}"
            win = MainWindow(settings=settings, data_dir=Path(tmp), lazy_chart=False,
                             ask_save=lambda: "discard", ask_recover=lambda _o: "later",
                             show_error=lambda t, m: (_ for _ in ()).throw(RuntimeError(m)),
                             progressive=True,  # as `hipmap` starts: diagram first
                             db=record_url, record=True,
                             record_options={"autosave_ms": 20, "journal_ms": 10,
                                             "ask_conflict": lambda *_a: None})
            win.resize(1280, 800)
            win.show()
            QTest.qWaitForWindowExposed(win)
            step = "finish loading the window"
            deadline = time.perf_counter() + 30
            while not win.is_ready and time.perf_counter() < deadline:
                app.processEvents()
                QTest.qWait(10)
            if not win.is_ready:
                raise RuntimeError("the window did not finish loading within 30 s")
            app.processEvents()
            step = "paint a stroke on the back view"
            rid = "right.posterior_thigh"
            geom = win.atlas.view("back").regions[rid].geom
            pt = geom.representative_point()
            canvas = win.canvas
            vp = canvas.viewport()
            pts = [canvas.viewport_point("back", pt.x, pt.y + dy) for dy in range(-40, 41, 8)]
            QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             pts[0])
            for p in pts[1:]:
                QTest.mouseMove(vp, p)
            QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                               pts[-1])
            app.processEvents()
            step = "check the assessment"
            a = win.model.assessment()
            if len(win.model.marks) != 1:
                raise RuntimeError(f"expected 1 stroke in the model, found {len(win.model.marks)}")
            regions = [r.id for r in a.regions]
            if rid not in regions:
                raise RuntimeError(f"{rid} not in the assessed regions {regions}")
            expected = {*win.kb.causes, "other"}
            if {r.cause for r in a.ranking} != expected:
                raise RuntimeError(f"the ranking does not list the {len(expected)} causes "
                                   "of the knowledge base and 'other'")
            step = "open the clinic record"
            record_line = _self_test_record(app, win, record_url, rid)
            step = "render the window"
            out = Path(tmp) / "self-test.png"
            if not win.grab().save(str(out), "PNG") or out.stat().st_size < 10_000:
                raise RuntimeError("the window could not be rendered to a PNG")
            win.stack.setClean()
            win.close()
            top = a.ranking[0]
            print(f"hipmap self-test OK: painted {rid} on the back view; urgency "
                  f"{a.urgency}; top cause {top.cause} ({top.score:.2f}); window "
                  f"rendered {out.stat().st_size // 1024} KB; {record_line}; "
                  f"{time.perf_counter() - t0:.1f} s")
        return 0
    except Exception as exc:  # report one line, exit 1
        print(f"hipmap self-test FAILED at '{step}': {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return 1
