"""``hipmap --kiosk [--db URL] [--lang LANG]``: open the record, then the locked-down window."""

from __future__ import annotations

import sys

from hipmap.i18n import _, language


def run_kiosk(db: str | None = None) -> int:
    from hipmap.kiosk_config import KioskConfig
    from hipmap.storage import DatabaseUnavailable, StorageError, open_store
    from hipmap.ui.app import finish_app, make_app
    from hipmap.ui.kiosk import KioskWindow, record_submitter

    try:
        config = KioskConfig.load()
    except Exception as exc:  # an unreadable settings file: one line
        print(f"hipmap --kiosk: {exc}", file=sys.stderr)
        return 2
    stores: list = []

    def opener():
        stores.append(open_store(db))
        return stores[-1]

    try:
        opener()
    except DatabaseUnavailable as exc:  # the server is down: start anyway, retry at Send
        print(_("hipmap --kiosk: the clinic record is not reachable now ({error}); the kiosk "
                "starts and sends when it is back").format(error=exc), file=sys.stderr)
    except StorageError as exc:  # a wrong URL, no schema, a newer schema: the admin's to fix
        print(_("hipmap --kiosk: the clinic record cannot be opened: {error}").format(
            error=exc), file=sys.stderr)
        return 1
    app = make_app(sys.argv[:1])
    finish_app(app)
    home = language()
    win = KioskWindow(config, record_submitter(stores[0] if stores else opener, home),
                      home_language=home)
    win.start()
    try:
        return app.exec()
    finally:
        for store in stores:
            store.close()
