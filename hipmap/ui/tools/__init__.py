"""The painting tools: their state (what the next stroke will be), the tools panel and the
small quality/intensity icons. ``python -m hipmap.ui.tools`` shows the panel."""

from hipmap.ui.tools.icons import quality_icon, swatch_icon
from hipmap.ui.tools.state import (
    DEFAULT_INTENSITY,
    DEFAULT_TOOL,
    DEFAULT_WIDTH,
    TOOL_HELP,
    TOOL_KEYS,
    TOOLS,
    ToolState,
)
from hipmap.ui.tools.widgets import BrushPreview, IntensityRamp, ToolsPanel

__all__ = ["DEFAULT_INTENSITY", "DEFAULT_TOOL", "DEFAULT_WIDTH", "TOOLS", "TOOL_HELP",
           "TOOL_KEYS", "BrushPreview", "IntensityRamp", "ToolState", "ToolsPanel",
           "quality_icon", "swatch_icon"]
