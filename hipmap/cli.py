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
from hipmap.i18n import N_, _

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2 (argparse prints two)
        raise UsageError(_("{prog}: {message} (see '{prog} --help')").format(
            prog=self.prog, message=message))


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given ``argv``, only the record commands it names are built (argparse
    spends ~2 ms on gettext per subparser, which ``hipmap assess`` need not pay)."""
    p = _Parser(prog="hipmap", description=(
        _("Paint where it hurts from hip to knee. Without a command, opens the desktop app. "
        "hipmap supports a clinician's judgement; it does not diagnose.")))
    p.add_argument("--version", action="store_true", help=_("print the version and exit"))
    p.add_argument("--kiosk", action="store_true",
                   help=_("opens the patient kiosk: the guided, locked-down patient flow, full "
                          "screen; it submits to the clinic record (--db). Leaving it needs "
                          "the PIN set with 'hipmap kiosk set-pin'"))
    p.add_argument("--db", metavar="URL", default=os.environ.get("HIPMAP_DB"),
                   help=_("the clinic record's database (an SQLAlchemy URL) for the record "
                        "commands (db, visits, history, inbox, export --patient); default: "
                        "env HIPMAP_DB, else the embedded database. The desktop window "
                        "does not read or write the record yet"))
    p.add_argument("--self-test", action="store_true",
                   help=_("start the app offscreen, paint a stroke, check the assessment, exit"))
    p.add_argument("--lang", metavar="LANG", default=None, help=_(LANG_HELP))
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    a = sub.add_parser("assess", help=_("print the assessment of a pain drawing"))
    a.add_argument("file", help=_("a .hipmap.json document, or - for standard input"))
    a.add_argument("--format", choices=("json", "text"), default="text")

    r = sub.add_parser("regions", help=_("print the region atlas"))
    r.add_argument("--view", choices=("front", "back", "right_side", "left_side"))
    r.add_argument("--format", choices=("json", "geojson"), default="json")

    c = sub.add_parser("causes", help=_("print the knowledge base"))
    c.add_argument("--format", choices=("json", "text"), default="text")

    d = sub.add_parser("render", help=_("draw a document's marks on the diagram, to a PNG"))
    d.add_argument("file")
    d.add_argument("-o", "--output", required=True, metavar="OUT.png")
    d.add_argument("--view", choices=("front", "back", "right_side", "left_side"),
                   help=_("one view (default: all four side by side)"))
    d.add_argument("--scale", type=float, default=1.0, help=_("pixels per diagram unit"))

    rp = sub.add_parser("report", help=_("write the clinical PDF report of a document"))
    rp.add_argument("file")
    rp.add_argument("-o", "--output", required=True, metavar="OUT.pdf")

    e = sub.add_parser("export", help=_("export a document and its assessment (FHIR R4 Bundle)"))
    e.add_argument("file", nargs="?", help=_("a .hipmap.json document (or --patient ID)"))
    e.add_argument("--fhir", action="store_true", required=True,
                   help=_("write a FHIR R4 Bundle (JSON)"))
    e.add_argument("-o", "--output", metavar="OUT.json", help=_("default: standard output"))
    k = sub.add_parser("kiosk", help=_("set up this machine's patient kiosk (PIN, "
                                       "identification, red-flag wording)"))
    ksub = k.add_subparsers(dest="kiosk_command", parser_class=_Parser, required=True)
    ksub.add_parser("set-pin", help=_("set the PIN that leaves the kiosk (4 to 12 digits; read "
                                      "from standard input when it is not a terminal)"))
    kc = ksub.add_parser("config", help=_("show or change the kiosk's settings"))
    kc.add_argument("--identify", choices=("code", "birth"),
                    help=_("how a patient is identified: a check-in code from the desk, or "
                           "date of birth and initials"))
    kc.add_argument("--red-flag-text", metavar="TEXT",
                    help=_("the clinic's own instruction shown when an answer is a red flag "
                           "(default: 'Please tell the reception desk now.'); an empty TEXT "
                           "goes back to the default"))
    kc.add_argument("--for-language", metavar="LANG", default="en",
                    help=_("the language --red-flag-text is written in (default: en)"))
    cli_record.add_parsers(sub, export=e, argv=argv)  # db, visits, history, inbox
    _lang_everywhere(p)
    return p


LANG_HELP = N_("language of what hipmap writes and shows (en, es); env HIPMAP_LANG does the "
             "same; default: the system's language where hipmap has it, else English")


def _lang_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--lang`` after a command too (``hipmap assess FILE --lang es``); SUPPRESS keeps the
    top-level value when it is not given there."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                if "--lang" not in child._option_string_actions:
                    child.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS,
                                       help=_(LANG_HELP))
                _lang_everywhere(child)


#: options that take a value: the word after them is not a command or a file
VALUE_OPTIONS = ("--db", "--lang")


def _lang_option(args: Sequence[str]) -> str | None:
    """The value of the last ``--lang LANG`` / ``--lang=LANG`` (the language must be set
    before any text is written, help and errors included)."""
    found = None
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif a.startswith("--lang="):
            found = a.split("=", 1)[1]
    return found


#: argparse's own texts (Python 3.11's wording), marked here so that they reach hipmap's
#: catalog: the help's headings and the usage errors ("the following arguments are
#: required: …") then read in the language of the rest (_set_language points argparse's
#: gettext at hipmap.i18n; in English they are argparse's own, unchanged).
ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unrecognized arguments: %s"), N_("expected one argument"),
    N_("expected at most one argument"), N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
)


def _set_language(args: Sequence[str]) -> None:
    from hipmap import i18n
    from hipmap.i18n import LanguageError, choose_language, set_language

    try:
        set_language(choose_language(_lang_option(args)))
    except LanguageError as exc:
        raise InputError(str(exc)) from None
    argparse._ = i18n.gettext_  # type: ignore[attr-defined]  # argparse's messages too


def main(argv: Sequence[str] | None = None) -> int:
    # hipmap does no linear algebra: one BLAS thread saves starting a pool (~15 ms) per run.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        _set_language(args_list)
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
                "export": cmd_export, "kiosk": cmd_kiosk}[args.command](args)
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
        _err(_("hipmap: internal error: {error} (set HIPMAP_DEBUG=1 for details)").format(
            error=f"{type(exc).__name__}: {exc}"))
        return EXIT_FAIL


COMMANDS = ("assess", "regions", "causes", "render", "report", "export", "kiosk",
            *cli_record.RECORD_COMMANDS)


def _drawing_to_open(args: list[str]) -> str | None:
    """``hipmap DRAWING.hipmap.json`` (how file managers open a drawing) opens it in the app.
    Removes the path from ``args``; a path that does not exist is bad input (exit 2)."""
    positional = [i for i, a in enumerate(args) if not a.startswith("-")
                  and (i == 0 or args[i - 1] not in VALUE_OPTIONS)]
    if not positional or args[positional[0]] in COMMANDS:
        return None
    path = args.pop(positional[0])
    if os.path.exists(path) and not os.path.isfile(path):
        from hipmap.core.document import read_file_bytes

        read_file_bytes(path, 0)  # says what it is instead (a folder, a FIFO, a device)
    if not os.path.isfile(path):
        raise InputError(_("no such file (or unknown command; commands: {commands})").format(
            commands=', '.join(COMMANDS)),
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
        _print_json(result.to_json())
    else:
        from hipmap.report.text import assessment_text

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
    from hipmap.report.causes import causes_json, causes_text

    if args.format == "json":
        _print_json(causes_json())
    else:
        _write_text(causes_text())
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from hipmap.core.output import check_target

    doc = _read_document(args.file)
    if not 0.1 <= args.scale <= MAX_SCALE:
        raise UsageError(_("hipmap render: --scale must be between 0.1 and {limit}").format(
            limit=f"{MAX_SCALE:g}"))
    _check_pixels(args.view, args.scale)
    out = check_target(args.output, inputs=[args.file])
    _offscreen_unless_display()
    try:
        from hipmap.ui.render import render_document_png
    except ImportError as exc:
        return _no_qt("render", exc)

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
        text = (_("hipmap render: --scale {scale} would make a {width} x {height} image "
                  "({megapixels} megapixels); the limit is {limit} megapixels: use --scale "
                  "{best} or less") if view else
                _("hipmap render: --scale {scale} would make a {width} x {height} image "
                  "({megapixels} megapixels); the limit is {limit} megapixels: use --scale "
                  "{best} or less, or one --view"))
        raise UsageError(text.format(
            scale=f"{scale:g}", width=round(w * scale), height=round(h * scale),
            megapixels=f"{pixels / 1e6:.0f}", limit=MAX_RENDER_PIXELS // 1_000_000,
            best=f"{int(best * 10) / 10:g}"))


def cmd_report(args: argparse.Namespace) -> int:
    from hipmap.core.output import check_target, verify_pdf, write_bytes

    doc = _read_document(args.file)
    out = check_target(args.output, inputs=[args.file])
    _offscreen_unless_display()
    try:
        from hipmap.ui.report import report_pdf_bytes
    except ImportError as exc:
        return _no_qt("report", exc)

    write_bytes(out, report_pdf_bytes(doc), verify=verify_pdf)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from hipmap.core.output import check_target, verify_json, write_bytes
    from hipmap.report.fhir import export_bundle

    if args.patient is not None or args.file is None:
        if args.patient is None:
            raise UsageError(_("hipmap export: give a FILE, or --patient ID to export from the "
                             "record (see 'hipmap export --help')"))
        return cli_record.run(args)
    doc = _read_document(args.file)
    out = check_target(args.output, inputs=[args.file]) if args.output else None
    text = json_text(export_bundle(doc))
    if out is not None:
        write_bytes(out, text.encode("utf-8"), verify=verify_json)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_kiosk(args: argparse.Namespace) -> int:
    """``hipmap kiosk set-pin`` / ``hipmap kiosk config``: this machine's kiosk settings
    (hipmap/kiosk_config.py), in the per-user data folder of the account the kiosk runs as."""
    from hipmap.i18n import LANGUAGES, normalize
    from hipmap.kiosk_config import KioskConfig, check_pin_format

    config = KioskConfig.load()
    if args.kiosk_command == "set-pin":
        if sys.stdin is not None and sys.stdin.isatty():
            import getpass

            pin = check_pin_format(getpass.getpass(_("New kiosk PIN: ")))
            if getpass.getpass(_("The same PIN again: ")).strip() != pin:
                raise InputError(_("the two PINs differ; nothing was changed"))
        else:
            pin = check_pin_format((sys.stdin.readline() if sys.stdin else "").strip())
        config.set_pin(pin)
        path = config.save()
        print(_("The kiosk PIN is set (stored as a salted hash in {path}).").format(path=path))
        return EXIT_OK
    changed = False
    if args.identify:
        config.identify, changed = args.identify, True
    if args.red_flag_text is not None:
        lang = normalize(args.for_language)
        if lang.split("_")[0] not in LANGUAGES:
            raise InputError(_("--for-language {lang}: hipmap has no such language (it has: "
                               "{have})").format(lang=args.for_language,
                                                 have=", ".join(LANGUAGES)))
        text = " ".join(args.red_flag_text.split())
        if len(text) > 200:
            raise InputError(_("--red-flag-text is at most 200 characters"))
        if text:
            config.red_flag_text[lang] = text
        else:
            config.red_flag_text.pop(lang, None)
        changed = True
    if changed:
        config.save()
    _print_json(config.public())
    return EXIT_OK


def _no_qt(command: str, exc: ImportError) -> int:
    """A command that draws, in an installation without its Qt part: one line, exit 1."""
    _err(_("hipmap {command}: this installation has no desktop part to draw with "
           "({reason}); the other commands work without it").format(command=command, reason=exc))
    return EXIT_FAIL


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
        _err(_("hipmap: the desktop app is not available in this build ({reason})").format(
            reason=exc))
        return EXIT_FAIL
    return run(kiosk=args.kiosk, db=args.db, self_test=args.self_test,
               open_path=getattr(args, "open_path", None),
               lang=getattr(args, "lang", None) or os.environ.get("HIPMAP_LANG"))


if __name__ == "__main__":
    raise SystemExit(main())
