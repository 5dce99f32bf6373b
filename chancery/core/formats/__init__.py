"""Locale formats Django lacks (FORMAT_MODULE_PATH): Kazakh dates and numbers."""
