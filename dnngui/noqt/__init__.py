"""Plain-Python helpers of the app that import no Qt (checked by tests/test_layers.py)."""
