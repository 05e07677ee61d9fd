from hipmap.ui.standalone import run


def build(s):
    from hipmap.ui.questions import QuestionsPanel

    panel = QuestionsPanel(s.editor)
    panel.set_next_questions(s.model.assessment().next_questions)
    return panel


raise SystemExit(run(build, "questions", (460, 700)))
