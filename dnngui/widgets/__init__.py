"""Reusable widgets: the canvas, the prediction panel, galleries, images and dialogs."""
