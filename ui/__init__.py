"""The Qt (PySide6) desktop layer of Fieldkit. Imports the core; the core never imports this."""
