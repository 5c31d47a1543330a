"""dnngui: the desktop app (Qt) and the ``dnngui`` command. The engine is ``dnngui.core`` (core/ in the repository)."""

__version__ = "0.1.0"
