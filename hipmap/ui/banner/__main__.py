from hipmap.ui.standalone import run


def build(s):
    from hipmap.ui.banner import RedFlagBanner

    s.editor.set_answer("saddle_numbness", True)
    banner = RedFlagBanner()
    banner.set_flags(s.model.assessment().red_flags)
    return banner


raise SystemExit(run(build, "red-flag banner", (900, 120)))
