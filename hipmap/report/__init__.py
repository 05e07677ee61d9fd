"""Qt-free report content: what the PDF report and File → Print say."""
