"""The app's state objects (Qt signals, no widgets): the model, the data, your digits, settings."""
