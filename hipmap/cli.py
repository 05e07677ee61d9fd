"""The ``hipmap`` command line (contract section 1).

Exit codes: 0 success; 2 bad input or arguments (one line on stderr, no traceback); 1 other.
Only ``render`` and the GUI import Qt, and only when they run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from hipmap import cli_record
from hipmap.core.errors import InputError

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2 (argparse prints two)
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given ``argv``, only the record commands it names are built (argparse
    spends ~2 ms on gettext per subparser, which ``hipmap assess`` need not pay)."""
    p = _Parser(prog="hipmap", description=(
        "Paint where it hurts from hip to knee. Without a command, opens the desktop app. "
        "hipmap supports a clinician's judgement; it does not diagnose."))
    p.add_argument("--version", action="store_true", help="print the version and exit")
    p.add_argument("--kiosk", action="store_true", help="open the patient kiosk (full screen)")
    p.add_argument("--db", metavar="URL", default=os.environ.get("HIPMAP_DB"),
                   help="database URL (SQLAlchemy), default: the embedded database; "
                        "env HIPMAP_DB does the same")
    p.add_argument("--self-test", action="store_true",
                   help="start the app offscreen, paint a stroke, check the assessment, exit")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    a = sub.add_parser("assess", help="print the assessment of a pain drawing")
    a.add_argument("file", help="a .hipmap.json document, or - for standard input")
    a.add_argument("--format", choices=("json", "text"), default="text")

    r = sub.add_parser("regions", help="print the region atlas")
    r.add_argument("--view", choices=("front", "back", "right_side", "left_side"))
    r.add_argument("--format", choices=("json", "geojson"), default="json")

    c = sub.add_parser("causes", help="print the knowledge base")
    c.add_argument("--format", choices=("json", "text"), default="text")

    d = sub.add_parser("render", help="draw a document's marks on the diagram, to a PNG")
    d.add_argument("file")
    d.add_argument("-o", "--output", required=True, metavar="OUT.png")
    d.add_argument("--view", choices=("front", "back", "right_side", "left_side"),
                   help="one view (default: all four side by side)")
    d.add_argument("--scale", type=float, default=1.0, help="pixels per diagram unit")

    rp = sub.add_parser("report", help="write the clinical PDF report of a document")
    rp.add_argument("file")
    rp.add_argument("-o", "--output", required=True, metavar="OUT.pdf")

    e = sub.add_parser("export", help="export a document and its assessment (FHIR R4 Bundle)")
    e.add_argument("file", nargs="?", help="a .hipmap.json document (or --patient ID)")
    e.add_argument("--fhir", action="store_true", required=True,
                   help="write a FHIR R4 Bundle (JSON)")
    e.add_argument("-o", "--output", metavar="OUT.json", help="default: standard output")
    cli_record.add_parsers(sub, export=e, argv=argv)  # db, visits, history, inbox
    return p


def main(argv: Sequence[str] | None = None) -> int:
    # hipmap does no linear algebra: one BLAS thread saves starting a pool (~15 ms) per run.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        open_path = _drawing_to_open(args_list)
        args = build_parser(args_list).parse_args(args_list)
        args.open_path = open_path
        if args.version:
            import hipmap

            print(f"hipmap {hipmap.__version__}")
            return EXIT_OK
        if args.command is None:
            return _gui(args)
        if args.command in cli_record.RECORD_COMMANDS:
            return cli_record.run(args)
        return {"assess": cmd_assess, "regions": cmd_regions, "causes": cmd_causes,
                "render": cmd_render, "report": cmd_report,
                "export": cmd_export}[args.command](args)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    except InputError as exc:
        _err(f"hipmap: {exc.one_line()}")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # anything else is our bug: say so in one line, exit 1
        if os.environ.get("HIPMAP_DEBUG"):
            raise
        _err(f"hipmap: internal error: {type(exc).__name__}: {exc} "
             "(set HIPMAP_DEBUG=1 for details)")
        return EXIT_FAIL


COMMANDS = ("assess", "regions", "causes", "render", "report", "export",
            *cli_record.RECORD_COMMANDS)


def _drawing_to_open(args: list[str]) -> str | None:
    """``hipmap DRAWING.hipmap.json`` (how file managers open a drawing) opens it in the app.
    Removes the path from ``args``; a path that does not exist is bad input (exit 2)."""
    positional = [i for i, a in enumerate(args) if not a.startswith("-")
                  and (i == 0 or args[i - 1] != "--db")]
    if not positional or args[positional[0]] in COMMANDS:
        return None
    path = args.pop(positional[0])
    if os.path.exists(path) and not os.path.isfile(path):
        from hipmap.core.document import read_file_bytes

        read_file_bytes(path, 0)  # says what it is instead (a folder, a FIFO, a device)
    if not os.path.isfile(path):
        raise InputError(f"no such file (or unknown command; commands: {', '.join(COMMANDS)})",
                         source=path)
    return path


def _err(line: str) -> None:
    print(terminal_safe(" ".join(line.split())), file=sys.stderr)


#: What must never reach a terminal raw: control characters (C0 but line feed, DEL, C1 —
#: escape sequences can clear the screen or hide a line), lone surrogates (cannot be
#: encoded) and the bidi controls that make text display as something else.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f"
                     "\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every unsafe character shown as a visible escape (``\\u001b``)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _write_text(text: str) -> None:
    sys.stdout.write(terminal_safe(text))


def _read_document(path: str):  # -> Document
    from hipmap.core import document

    if path == "-":
        data = sys.stdin.buffer.read(document.MAX_FILE_BYTES + 1)
        return document.loads(data, source="<stdin>")
    return document.load(path)


def _print_json(obj: Any) -> None:
    sys.stdout.write(json_text(obj))


def json_text(obj: Any) -> str:
    """Readable JSON (UTF-8) in which the characters of :data:`_UNSAFE` are JSON escapes,
    so the output is safe on a terminal and still the same JSON."""
    return terminal_safe(json.dumps(obj, ensure_ascii=False, indent=2)) + "\n"


def cmd_assess(args: argparse.Namespace) -> int:
    from hipmap.knowledge.assessment import assess

    doc = _read_document(args.file)
    result = assess(doc)
    if args.format == "json":
        _print_json(result)
    else:
        from hipmap.knowledge.report import assessment_text

        _write_text(assessment_text(doc, result))
    return EXIT_OK


def cmd_regions(args: argparse.Namespace) -> int:
    from shapely.geometry import mapping

    from hipmap.geometry.atlas import load_atlas, to_geojson

    atlas = load_atlas()
    if args.format == "geojson":
        _print_json(to_geojson(atlas, args.view))
        return EXIT_OK
    views = {}
    for name, va in atlas.views.items():
        if args.view and name != args.view:
            continue
        views[name] = {
            "width": va.width, "height": va.height,
            "regions": {k: mapping(a.geom) for k, a in va.regions.items()},
            "dermatomes": {k: mapping(a.geom) for k, a in va.dermatomes.items()},
        }
    _print_json({"format": "hipmap.regions/1", "dermatome_source": atlas.dermatome_source,
                 "views": views})
    return EXIT_OK


def cmd_causes(args: argparse.Namespace) -> int:
    from hipmap.knowledge.report import causes_json, causes_text

    if args.format == "json":
        _print_json(causes_json())
    else:
        _write_text(causes_text())
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from hipmap.core.output import check_target

    doc = _read_document(args.file)
    if not 0.1 <= args.scale <= MAX_SCALE:
        raise UsageError(f"hipmap render: --scale must be between 0.1 and {MAX_SCALE:g}")
    _check_pixels(args.view, args.scale)
    out = check_target(args.output, inputs=[args.file])
    _offscreen_unless_display()
    from hipmap.ui.render import render_document_png

    render_document_png(doc, str(out), views=[args.view] if args.view else None,
                        scale=args.scale)
    return EXIT_OK


#: ``render --scale`` above this is refused; with the pixel cap below it keeps a render
#: within a few seconds and a few hundred MB.
MAX_SCALE = 8.0
MAX_RENDER_PIXELS = 12_000_000


def _check_pixels(view: str | None, scale: float) -> None:
    from hipmap.geometry.atlas import render_size

    w, h = render_size([view] if view else None)
    pixels = round(w * scale) * round(h * scale)
    if pixels > MAX_RENDER_PIXELS:
        best = (MAX_RENDER_PIXELS / (w * h)) ** 0.5
        raise UsageError(
            f"hipmap render: --scale {scale:g} would make a {round(w * scale)} x "
            f"{round(h * scale)} image ({pixels / 1e6:.0f} megapixels); the limit is "
            f"{MAX_RENDER_PIXELS // 1_000_000} megapixels: use --scale {int(best * 10) / 10:g} "
            "or less" + ("" if view else ", or one --view"))


def cmd_report(args: argparse.Namespace) -> int:
    from hipmap.core.output import check_target, verify_pdf, write_bytes

    doc = _read_document(args.file)
    out = check_target(args.output, inputs=[args.file])
    _offscreen_unless_display()
    from hipmap.ui.report import report_pdf_bytes

    write_bytes(out, report_pdf_bytes(doc), verify=verify_pdf)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from hipmap.core.output import check_target, verify_json, write_bytes
    from hipmap.fhir import export_bundle

    if args.patient is not None or args.file is None:
        if args.patient is None:
            raise UsageError("hipmap export: give a FILE, or --patient ID to export from the "
                             "record (see 'hipmap export --help')")
        return cli_record.run(args)
    doc = _read_document(args.file)
    out = check_target(args.output, inputs=[args.file]) if args.output else None
    text = json_text(export_bundle(doc))
    if out is not None:
        write_bytes(out, text.encode("utf-8"), verify=verify_json)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _offscreen_unless_display() -> None:
    if not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _gui(args: argparse.Namespace) -> int:
    try:
        from hipmap.ui.app import run
    except ImportError as exc:
        _err(f"hipmap: the desktop app is not available in this build ({exc})")
        return EXIT_FAIL
    return run(kiosk=args.kiosk, db=args.db, self_test=args.self_test,
               open_path=getattr(args, "open_path", None))


if __name__ == "__main__":
    raise SystemExit(main())
