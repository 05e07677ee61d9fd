"""The assessment: verdict, ask-next, ranking chart, cause choice (:mod:`.panel`), the chart
(:mod:`.chart`, pyqtgraph loaded lazily) and the evidence view (:mod:`.evidence`)."""

from hipmap.ui.assessment.chart import MAX_BARS, RankingChart, chart_rows
from hipmap.ui.assessment.evidence import EvidenceView, evidence_html
from hipmap.ui.assessment.panel import URGENCY_STYLE, AssessmentPanel

__all__ = ["MAX_BARS", "URGENCY_STYLE", "AssessmentPanel", "EvidenceView", "RankingChart",
           "chart_rows", "evidence_html"]
