from hipmap.ui.standalone import run


def build(s):
    from hipmap.ui.regions import RegionList

    return RegionList(s.editor, s.tools)


raise SystemExit(run(build, "region list", (300, 700)))
