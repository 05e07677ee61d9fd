from hipmap.ui.standalone import run


def build(s):
    from hipmap.ui.canvas import BodyCanvas

    return BodyCanvas(s.editor, s.tools, s.atlas)


raise SystemExit(run(build, "body map", (900, 700)))
