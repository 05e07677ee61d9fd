"""``python -m hipmap.ui.kiosk [--grab FILE.png] [--lang LANG]``: the kiosk in a window of its
own, not full screen and not locked (for a developer; nothing is submitted anywhere)."""

import tempfile
from pathlib import Path

from hipmap.ui.standalone import run


def build(_sample):
    from hipmap.i18n import language
    from hipmap.kiosk_config import KioskConfig
    from hipmap.ui.kiosk import KioskWindow

    win = KioskWindow(KioskConfig(where=Path(tempfile.mkdtemp(prefix="hipmap-kiosk-"))),
                      lambda doc, fields: 0, home_language=language(), fullscreen=False)
    win.unlocked = True  # a developer's window closes like any other
    return win


raise SystemExit(run(build, "patient kiosk", (1280, 800)))
