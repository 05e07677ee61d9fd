"""The clinic record's commands (contract 1.1 §8): ``db``, ``visits``, ``history``, ``inbox``
and ``export --fhir --patient``.

Exit codes: 0 done; 2 bad input (one line, nothing stored changed); 3 the visit was changed
elsewhere since the version given (one line: who and when); 1 anything else (no server, an
old schema ...). SQLAlchemy and the storage package load only when one of these runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hipmap.i18n import _

if TYPE_CHECKING:
    from hipmap.storage.store import Store

RECORD_COMMANDS = ("db", "visits", "history", "inbox")
EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT, EXIT_CONFLICT = 0, 1, 2, 3


def _db_option(p: argparse.ArgumentParser) -> None:
    # Also accepted after the subcommand; SUPPRESS keeps the top-level --db / HIPMAP_DB
    # when it is not given here.
    p.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                   help=_("database URL (default: HIPMAP_DB, else the embedded database)"))


def wanted(argv: Sequence[str] | None) -> set[str]:
    """The record commands to build parsers for: the one ``argv`` names, or all of them
    when it names none of the others (help, a mistake)."""
    if argv is None:
        return set(RECORD_COMMANDS)
    first = next((a for i, a in enumerate(argv) if not a.startswith("-")
                  and (i == 0 or argv[i - 1] not in ("--db", "--lang"))), None)
    if first in RECORD_COMMANDS:
        return {first}
    if first in ("assess", "regions", "causes", "render", "report", "export"):
        return set()
    return set(RECORD_COMMANDS)


def add_parsers(sub: Any, export: argparse.ArgumentParser,
                argv: Sequence[str] | None = None) -> None:
    """Add the record's subcommands to ``hipmap``'s parser, and ``--patient`` to export."""
    export.add_argument("--patient", metavar="ID",
                        help=_("export every visit of this patient from the record"))
    _db_option(export)
    build = wanted(argv)
    if "db" in build:
        _db_parsers(sub)
    if "visits" in build:
        _visits_parsers(sub)
    if "history" in build:
        h = sub.add_parser("history", help=_("a patient's visits and what changed, oldest "
                                           "first"))
        h.add_argument("patient", metavar="PATIENT")
        h.add_argument("--format", choices=("json", "text"), default="text")
        _db_option(h)
    if "inbox" in build:
        i = sub.add_parser("inbox", help=_("kiosk submissions not yet opened, oldest first"))
        i.add_argument("--format", choices=("json", "text"), default="text")
        _db_option(i)


def _db_parsers(sub: Any) -> None:
    db = sub.add_parser("db", help=_("create, upgrade, check, back up or restore the record"))
    dbs = db.add_subparsers(dest="db_command", metavar="{upgrade,check,backup,restore,roles}",
                            parser_class=type(db))
    dbs.required = True
    for name, text in (("upgrade", "create or upgrade the schema; prints the revision"),
                       ("check", "check the database's integrity; exit 0 when sound")):
        _db_option(dbs.add_parser(name, help=text))
    b = dbs.add_parser("backup", help=_("write a portable backup of every patient, visit and "
                                      "revision"))
    b.add_argument("-o", "--output", required=True, metavar="FILE")
    _db_option(b)
    r = dbs.add_parser("restore", help=_("load a backup into an empty database"))
    r.add_argument("file", metavar="FILE")
    _db_option(r)
    ro = dbs.add_parser("roles", help=_("print (or --apply) the PostgreSQL roles: clinicians "
                                      "read and write, kiosks only submit"))
    ro.add_argument("--apply", action="store_true",
                    help=_("run the SQL on the database (as its owner or a superuser)"))
    _db_option(ro)


def _visits_parsers(sub: Any) -> None:
    v = sub.add_parser("visits", help=_("add, update, show or list visits"))
    vs = v.add_subparsers(dest="visits_command", metavar="{add,update,show,list,revisions}",
                          parser_class=type(v))
    vs.required = True
    a = vs.add_parser("add", help=_("store a drawing as a new visit"))
    a.add_argument("file", help=_("a .hipmap.json document, or - for standard input"))
    a.add_argument("--patient", metavar="ID")
    a.add_argument("--format", choices=("json", "text"), default="json")
    _db_option(a)
    u = vs.add_parser("update", help=_("replace a visit's drawing if it is still at version N"))
    u.add_argument("visit")
    u.add_argument("file", help=_("a .hipmap.json document, or - for standard input"))
    u.add_argument("--if-version", type=int, required=True, metavar="N", dest="if_version")
    u.add_argument("--format", choices=("json", "text"), default="json")
    _db_option(u)
    sh = vs.add_parser("show", help=_("print a visit's stored drawing document"))
    sh.add_argument("visit")
    sh.add_argument("--version", type=int, metavar="N", dest="at_version",
                    help=_("an earlier saved version (default: the current one)"))
    _db_option(sh)
    ls = vs.add_parser("list", help=_("visits, newest first"))
    ls.add_argument("--patient", metavar="ID")
    ls.add_argument("--format", choices=("json", "text"), default="text")
    ls.add_argument("--limit", type=int, metavar="N")
    _db_option(ls)
    rv = vs.add_parser("revisions", help=_("every saved version of a visit: who, where, when"))
    rv.add_argument("visit")
    rv.add_argument("--format", choices=("json", "text"), default="text")
    _db_option(rv)


# ----------------------------------------------------------------------------- running

def run(args: argparse.Namespace) -> int:
    """Run a record command; storage errors become one line and their exit code."""
    from hipmap.storage.errors import StorageError

    try:
        if args.command == "db":
            return _DB[args.db_command](args)
        if args.command == "visits":
            return _VISITS[args.visits_command](args)
        return {"history": cmd_history, "inbox": cmd_inbox,
                "export": cmd_export_patient}[args.command](args)
    except StorageError as exc:
        _err(f"hipmap: {exc}")
        return exc.exit_code


def _err(line: str) -> None:
    print(" ".join(str(line).split()), file=sys.stderr)


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _json(obj: Any) -> None:
    _out(json.dumps(obj, ensure_ascii=False, indent=2))


def _store(args: argparse.Namespace, **kw: Any) -> Store:
    from hipmap.storage.store import open_store

    return open_store(getattr(args, "db", None) or None, **kw)


def _read(path: str) -> tuple[bytes, str]:
    """A document's bytes and the name to use in messages."""
    from hipmap.core.document import MAX_FILE_BYTES
    from hipmap.core.errors import InputError

    if path == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1), "<stdin>"
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1), path
    except FileNotFoundError:
        raise InputError(_("no such file"), source=path) from None
    except IsADirectoryError:
        raise InputError(_("is a directory, not a document"), source=path) from None
    except PermissionError:
        raise InputError(_("permission denied"), source=path) from None
    except OSError as exc:
        raise InputError(_("cannot read the file ({reason})").format(
            reason=exc.strerror or exc), source=path) from None


# ----------------------------------------------------------------------------- db

def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from hipmap.storage.store import upgrade_schema

    with _store(args, check_schema=False) as store:
        before, after = upgrade_schema(store)
        if before == after:
            _out(_("schema {after} (already current) in {where}").format(
                after=after, where=store.where))
        else:
            _out(_("schema {after} (was {before}) in {where}").format(
                after=after, before=before or _("empty"), where=store.where))
    return EXIT_OK


def cmd_db_check(args: argparse.Namespace) -> int:
    from hipmap.storage.admin import check

    with _store(args) as store:
        problems, info = check(store)
        for p in problems:
            _out(_("PROBLEM: {problem}").format(problem=p))
        summary = _("schema {schema}, {patients} patients, {visits} visits, {revisions} "
                    "revisions, {journal} journal entries in {where}").format(
                        schema=info["schema"], patients=info["patients"],
                        visits=info["visits"], revisions=info["revisions"],
                        journal=info["journal"], where=store.where)
        if problems:
            _out(_("FAILED: {n} problem(s); {summary}").format(n=len(problems), summary=summary))
            return EXIT_FAIL
        _out(_("ok: {summary}").format(summary=summary))
    return EXIT_OK


def cmd_db_backup(args: argparse.Namespace) -> int:
    from hipmap.storage.admin import backup

    with _store(args) as store:
        n = backup(store, args.output)
    _out(_("backed up {patients} patients, {visits} visits, {revisions} revisions to "
           "{output}").format(
               patients=n["patients"], visits=n["visits"], revisions=n["revisions"],
               output=args.output))
    return EXIT_OK


def cmd_db_restore(args: argparse.Namespace) -> int:
    from hipmap.storage.admin import restore

    with _store(args) as store:
        n = restore(store, args.file)
        _out(_("restored {patients} patients, {visits} visits, {revisions} revisions into "
               "{where}").format(
                   patients=n["patients"], visits=n["visits"], revisions=n["revisions"],
                   where=store.where))
    return EXIT_OK


def cmd_db_roles(args: argparse.Namespace) -> int:
    from sqlalchemy import text

    from hipmap.storage.errors import BadRecordInput
    from hipmap.storage.roles import roles_sql

    with _store(args) as store:
        if store.backend != "postgresql":
            raise BadRecordInput(_("roles are for a PostgreSQL server; an SQLite record is "
                                 "protected by its file's permissions (0600)"))
        with store._tx() as conn:
            db, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
        sql = roles_sql(db, schema)
        if not args.apply:
            _out(sql)
            return EXIT_OK
        with store._tx() as conn:
            conn.exec_driver_sql(sql)
        _out(_("roles hipmap_clinician and hipmap_kiosk granted on {where}").format(
            where=store.where))
    return EXIT_OK


_DB = {"upgrade": cmd_db_upgrade, "check": cmd_db_check, "backup": cmd_db_backup,
       "restore": cmd_db_restore, "roles": cmd_db_roles}


# ----------------------------------------------------------------------------- visits

def cmd_visits_add(args: argparse.Namespace) -> int:
    from hipmap.core.document import loads
    from hipmap.storage.store import patient_id

    data, name = _read(args.file)
    doc = loads(data, source=name)  # bad input: exit 2 before anything is stored
    with _store(args) as store:
        ref = store.add_visit(data, patient=args.patient, source_name=name)
    doc_pid = (doc.patient or {}).get("id")
    if args.patient is not None and doc_pid is not None and str(doc_pid) != ref.patient:
        _err(_("hipmap: note: the document names patient {named}; stored for {patient} as "
               "--patient says").format(named=patient_id(doc_pid), patient=ref.patient))
    if args.format == "json":
        _json(ref.to_json())
    else:
        _out(_("stored visit {visit} of patient {patient} (version {version})").format(
            visit=ref.visit, patient=ref.patient, version=ref.version))
    return EXIT_OK


def cmd_visits_update(args: argparse.Namespace) -> int:
    from hipmap.core.document import loads
    from hipmap.storage.store import visit_id

    vid = visit_id(args.visit)
    data, name = _read(args.file)
    loads(data, source=name)
    with _store(args) as store:
        new = store.save_visit(vid, data, expected_version=args.if_version, source_name=name)
        patient = store.get_visit(vid).patient
    if args.format == "json":
        _json({"patient": patient, "visit": vid, "version": new})
    else:
        _out(_("saved visit {vid} of patient {patient} (version {new})").format(
            vid=vid, patient=patient, new=new))
    return EXIT_OK


def cmd_visits_show(args: argparse.Namespace) -> int:
    with _store(args) as store:
        if args.at_version is not None:
            text = store.revision_document(args.visit, args.at_version)
        else:
            text = store.get_visit(args.visit).document
    _out(text)
    return EXIT_OK


def cmd_visits_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rows = store.list_visits(args.patient, limit=args.limit)
    if args.format == "json":
        _json([r.to_json() for r in rows])
        return EXIT_OK
    cols = ("visit", "patient", "recorded_at", "source", "urgency", "top_cause", "version")
    table = [[("" if (x := r.to_json()[c]) is None else str(x)) for c in cols] for r in rows]
    widths = [max([len(c)] + [len(t[i]) for t in table]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
    lines += ["  ".join(x.ljust(w) for x, w in zip(t, widths, strict=True)).rstrip()
              for t in table]
    if not rows:
        lines.append("(no visits)")
    _out("\n".join(lines))
    return EXIT_OK


def cmd_visits_revisions(args: argparse.Namespace) -> int:
    with _store(args) as store:
        revs = store.revisions(args.visit)
        if not revs:
            store.get_visit(args.visit)  # NotFound
    if args.format == "json":
        _json([r.to_json() for r in revs])
        return EXIT_OK
    for r in revs:
        who = r.saved_by or "?"
        if r.db_user:
            who += _(" (database user {user})").format(user=r.db_user)
        _out(_("version {version}  {saved_at} UTC  {action}  {who} on {workstation}").format(
            version=r.version, saved_at=f"{r.saved_at:%Y-%m-%d %H:%M:%S}",
            action=f"{r.action:<6}", who=who, workstation=r.workstation or "?"))
    return EXIT_OK


_VISITS = {"add": cmd_visits_add, "update": cmd_visits_update, "show": cmd_visits_show,
           "list": cmd_visits_list, "revisions": cmd_visits_revisions}


# ----------------------------------------------------------------------------- others

def cmd_history(args: argparse.Namespace) -> int:
    from hipmap.storage.history import history, history_text

    with _store(args) as store:
        h = history(store, args.patient)
    if args.format == "json":
        _json(h)
    else:
        _out(history_text(h))
    return EXIT_OK


def cmd_inbox(args: argparse.Namespace) -> int:
    with _store(args) as store:
        items = store.inbox()
    if args.format == "json":
        _json([i.to_json() for i in items])
        return EXIT_OK
    if not items:
        _out(_("The inbox is empty: every kiosk submission has been opened."))
        return EXIT_OK
    for i in items:
        j = i.to_json()
        who = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in j["checkin"].items()) \
            or "no check-in details"
        flags = ", ".join(f["id"] for f in i.red_flags)
        urgency = (i.urgency or "unknown").upper()
        _out(f"visit {i.visit}  sent {j['submitted_at']}  {urgency}"
             + (f"  RED FLAGS: {flags}" if flags else "") + f"  ({who})")
    return EXIT_OK


def cmd_export_patient(args: argparse.Namespace) -> int:
    from hipmap.core.document import atomic_write_text
    from hipmap.core.errors import InputError
    from hipmap.storage.fhir_export import patient_bundle

    if not args.fhir:
        raise InputError(_("hipmap export --patient needs --fhir"))
    if args.file:
        raise InputError(_("give either a FILE or --patient ID, not both"))
    if args.output and not os.path.isdir(os.path.dirname(os.path.abspath(args.output))):
        raise InputError(_("the output folder does not exist"), source=args.output)
    with _store(args) as store:
        bundle = patient_bundle(store, args.patient)
    text = json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        from pathlib import Path

        atomic_write_text(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return EXIT_OK
