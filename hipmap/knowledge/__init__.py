"""Causes, red flags, the matcher and its explanations — data-driven, Qt-free."""
