"""All questions (see :mod:`.widgets`)."""

from hipmap.ui.questions.widgets import QuestionRow, QuestionsPanel

__all__ = ["QuestionRow", "QuestionsPanel"]
