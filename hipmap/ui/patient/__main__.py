from hipmap.ui.standalone import run


def build(s):
    from hipmap.ui.patient import PatientHeader

    return PatientHeader(s.editor)


raise SystemExit(run(build, "patient header", (460, 40)))
