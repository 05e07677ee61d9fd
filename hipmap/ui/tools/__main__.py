from hipmap.ui.standalone import run


def build(s):
    from hipmap.ui.tools import ToolsPanel

    return ToolsPanel(s.tools)


raise SystemExit(run(build, "painting tools", (300, 360)))
