"""Geometry: the region atlas, its artwork and stroke coverage (no Qt)."""
