"""dnngui: the desktop app (Qt) and the ``dnngui`` command. The engine lives in ``core``."""

__version__ = "0.1.0"
