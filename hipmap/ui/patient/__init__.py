"""The patient header (see :mod:`.widgets`)."""

from hipmap.ui.patient.widgets import PatientHeader

__all__ = ["PatientHeader"]
