"""The body editor: Markdown widget, server-rendered live preview, image chooser, checks."""
