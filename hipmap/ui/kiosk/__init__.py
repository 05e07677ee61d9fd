"""Room for the patient kiosk (issue 11): its own locked-down, guided window on the same
model (hipmap.model), knowledge base and translation mechanism (hipmap.i18n). Nothing is
here yet; `--kiosk` still opens the clinician window full screen."""
