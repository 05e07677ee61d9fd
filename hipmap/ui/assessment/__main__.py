from hipmap.ui.standalone import run


def build(s):
    from hipmap.ui.assessment import AssessmentPanel

    panel = AssessmentPanel(s.kb)
    panel.build_chart()
    panel.set_assessment(s.model.assessment())
    panel.answer_clicked.connect(s.editor.set_answer)
    s.model.subscribe(lambda _c: panel.set_assessment(s.model.assessment()))
    return panel


raise SystemExit(run(build, "assessment", (420, 640)))
