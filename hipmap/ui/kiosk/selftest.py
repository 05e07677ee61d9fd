"""``hipmap --kiosk --self-test [--db URL]`` (contract §9): the whole flow offscreen, through the
real widgets, with synthetic touch; one submission into that database (a temporary SQLite
file when none is given); the idle reset checked; one line; exit 0 or 1."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

#: the check-in code the self-test types (a submission a clinic can recognise and discard)
SELF_TEST_CODE = "0000"


def drive_flow(win, app=None, *, code: str = SELF_TEST_CODE, answer=None, lang: str = "en",
               on_step=None) -> dict:
    """Take ``win`` (a KioskWindow at its welcome screen) through every step by touch:
    ``lang``, a stroke on the back of the right thigh, strength 6, aching, every question,
    check, the check-in, send. ``answer(aid)`` picks yes/no/unsure (default: No; Yes to
    "can you stand and walk"); ``on_step(flow)`` is called on every screen (screenshots,
    checks). Returns what it saw."""
    from hipmap.ui.kiosk.touch import drag, tap

    seen: dict = {"steps": [], "questions": []}
    f = win.flow

    def step(name: str) -> None:
        if f.step != name:
            raise RuntimeError(f"expected the step '{name}', the kiosk shows '{f.step}'")
        seen["steps"].append(name)
        if on_step is not None:
            on_step(f)

    step("language")
    tap(f.findChild(type(f.next_button), f"language_{lang}"))
    step("where")
    canvas = f.canvas
    rid = "right.posterior_thigh"
    pt = canvas.atlas.view("back").regions[rid].geom.representative_point()
    drag(canvas.viewport(), [canvas.viewport_point("back", pt.x, pt.y + dy)
                             for dy in range(-40, 41, 8)])
    if len(f.model.marks) != 1:
        raise RuntimeError(f"a finger stroke made {len(f.model.marks)} marks, not 1")
    if rid not in {r.id for r in f.model.assessment().regions}:
        raise RuntimeError(f"the stroke did not land on {rid}")
    seen["region"] = rid
    if on_step is not None:
        on_step(f)  # the drawing on screen
    tap(f.next_button)
    step("strength")
    tap(f.face_buttons[6])
    if on_step is not None:
        on_step(f)
    tap(f.next_button)
    step("feel")
    tap(f.quality_buttons["dull_ache"])
    if on_step is not None:
        on_step(f)
    tap(f.next_button)
    while f.step.startswith("q:"):
        aid = f.step[2:]
        seen["questions"].append(aid)
        if on_step is not None:
            on_step(f)
        choice = answer(aid) if answer else ("yes" if aid == "can_bear_weight" else "no")
        tap(f.answer_buttons[choice])
        if f.notice.isVisible():
            seen["red_flag_notice"] = f.notice_text.text()
            if on_step is not None:
                on_step(f)
            tap(f.notice.findChild(type(f.next_button), "notice_ok"))
        if len(seen["questions"]) > 40:
            raise RuntimeError("the questions never end")
    step("check")
    tap(f.next_button)
    if f.config.identify == "code":
        step("code")
        for ch in code:
            tap(f.code_pad.keys[ch])
        if on_step is not None:
            on_step(f)
    else:
        step("birth")
        for ch in "01021950":
            tap(f.birth_pad.keys[ch])
        tap(f.next_button)
        step("initials")
        for ch in "ZZ":
            tap(f.letters_pad.keys[ch])
        if on_step is not None:
            on_step(f)
    sent_before = len(win.sent_visits)
    tap(f.next_button)
    if f.failed:
        raise RuntimeError(f"the submission failed: {f.failed}")
    if len(win.sent_visits) != sent_before + 1:
        raise RuntimeError("Send did not submit")
    if win.flow.step != "thanks":
        raise RuntimeError(f"after sending the kiosk shows '{win.flow.step}', not the thanks")
    seen["visit"] = win.sent_visits[-1]
    if on_step is not None:
        on_step(win.flow)
    return seen


def run_self_test(db: str | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.perf_counter()
    step = "start"
    try:
        with tempfile.TemporaryDirectory(prefix="hipmap-kiosk-selftest-") as tmp:
            step = "open the record"
            from hipmap.i18n import language
            from hipmap.kiosk_config import KioskConfig
            from hipmap.storage import open_store

            url = db or f"sqlite:///{Path(tmp) / 'kiosk.db'}"
            store = open_store(url)
            try:
                step = "create the application"
                from PySide6.QtCore import qInstallMessageHandler

                qInstallMessageHandler(lambda *_a: None)
                from PySide6.QtTest import QTest

                from hipmap.ui.app import finish_app, make_app
                from hipmap.ui.kiosk import KioskWindow, record_submitter

                app = make_app(["hipmap"])
                finish_app(app)
                config = KioskConfig(where=Path(tmp))  # never the machine's own settings
                config.set_pin("13579")
                home = language()
                step = "build the kiosk window"
                win = KioskWindow(config, record_submitter(store, home), home_language=home,
                                  fullscreen=False)
                win.resize(1280, 800)
                win.start()
                QTest.qWaitForWindowExposed(win)
                step = "go through the flow by touch"
                seen = drive_flow(win, app)
                step = "check the submission"
                visit = seen["visit"]
                where = "the record"
                try:
                    items = {i.visit: i for i in store.inbox()}
                except Exception:  # the kiosk role may not read: submit is all it can do
                    items = None
                if items is not None and visit not in items:
                    raise RuntimeError(f"visit {visit} is not in the inbox")
                if items is None:
                    where = "the record (this role cannot read it back)"
                step = "check the idle reset"
                from hipmap.ui.kiosk.touch import drag, tap

                win.new_patient("language")
                f = win.flow
                tap(f.findChild(type(f.next_button), "language_es"))
                c = f.canvas
                pt = c.atlas.view("front").regions["left.groin"].geom.representative_point()
                drag(c.viewport(), [c.viewport_point("front", pt.x + dx, pt.y)
                                    for dx in range(-20, 21, 5)])
                if not f.model.marks:
                    raise RuntimeError("the stroke before the idle reset did not land")
                win.idle.setInterval(30)
                win.tick.setInterval(10)
                old = f
                deadline = time.perf_counter() + 10
                while win.flow is old and time.perf_counter() < deadline:
                    QTest.qWait(20)
                if win.flow is old:
                    raise RuntimeError("the kiosk did not reset after being left alone")
                fresh = win.flow
                if (fresh.model is not None and fresh.model.marks) or \
                        fresh.step != "language" or language() != home:
                    raise RuntimeError("the idle reset left the previous patient's data")
                win.unlocked = True
                win.close()
                print(f"hipmap kiosk self-test OK: {len(seen['steps'])} steps and "
                      f"{len(seen['questions'])} questions by touch; submitted visit {visit} "
                      f"to {where} ({store.backend}); idle reset cleared the drawing; "
                      f"{time.perf_counter() - t0:.1f} s")
            finally:
                store.close()
        return 0
    except Exception as exc:  # one line, exit 1
        print(f"hipmap kiosk self-test FAILED at '{step}': {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return 1
