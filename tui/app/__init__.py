"""The Textual app (screens, widgets, styles; no argparse)."""
