"""Room for the clinic record's history (issue 10): the timeline of a patient's visits, the
before/after overlay on the diagram and the trend charts. Nothing is here yet; it will plug
into the window the way the other feature folders do (widgets + a package API)."""
