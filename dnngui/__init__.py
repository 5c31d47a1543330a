"""dnngui: the desktop app (Qt) and the ``dnngui`` command. The engine is ``dnngui.core`` (core/ in the repository)."""

__version__ = "0.1.0"

# The headless sub-commands, written once: `dnngui` with none of them opens the app.
COMMANDS = ("train", "evaluate", "gradcheck", "fine-tune", "export", "install-desktop")
