"""Light, dark, or the system's colours: Qt's palette, and pyqtgraph's plots to match.

pyqtgraph draws with its own background and foreground (set once, in code), so a dark
desktop left every plot white. :func:`apply` sets both: Qt's palette (the Fusion style
follows it on every platform), pyqtgraph's options for plots made later, and the
background, axes, titles and legends of every plot already made.
"""

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

THEMES = ("System", "Light", "Dark")
DEFAULT = "System"
PLOT_COLOURS = {"light": ("w", "k"), "dark": ((32, 33, 36), (220, 220, 220))}


def kind_of(choice):
    """ "light" or "dark" for a choice of THEMES ("System": what the desktop asks for)."""
    if choice == "System":
        hints = QtGui.QGuiApplication.styleHints()
        return "dark" if hints.colorScheme() == QtCore.Qt.ColorScheme.Dark else "light"
    return choice.lower()


def _dark_palette():
    colours = {
        "Window": (45, 46, 50),
        "WindowText": (225, 225, 225),
        "Base": (32, 33, 36),
        "AlternateBase": (45, 46, 50),
        "ToolTipBase": (60, 62, 66),
        "ToolTipText": (235, 235, 235),
        "PlaceholderText": (150, 150, 150),
        "Text": (225, 225, 225),
        "Button": (55, 56, 60),
        "ButtonText": (225, 225, 225),
        "BrightText": (255, 90, 90),
        "Light": (75, 76, 80),
        "Midlight": (62, 63, 67),
        "Mid": (40, 41, 44),
        "Dark": (25, 25, 28),
        "Shadow": (10, 10, 10),
        "Highlight": (60, 120, 215),
        "HighlightedText": (255, 255, 255),
        "Link": (110, 170, 255),
    }
    palette = QtGui.QPalette()
    for role, rgb in colours.items():
        palette.setColor(getattr(QtGui.QPalette.ColorRole, role), QtGui.QColor(*rgb))
    for role in ("WindowText", "Text", "ButtonText"):
        palette.setColor(
            QtGui.QPalette.ColorGroup.Disabled, getattr(QtGui.QPalette.ColorRole, role), QtGui.QColor(130, 130, 130)
        )
    return palette


def apply(choice, window):
    """Colour the app as ``choice`` (one of THEMES) says, and the plots of ``window``; "light" or "dark".

    Only the window's own plots are recoloured: another window's may be half torn down."""
    app = QtWidgets.QApplication.instance()
    kind = kind_of(choice)
    if kind == "dark" and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # the one style that follows a dark palette on every platform
    if app.property("dnnguiTheme") != kind:  # a new palette repolishes every widget: only on a change
        app.setPalette(_dark_palette() if kind == "dark" else app.style().standardPalette())
        app.setProperty("dnnguiTheme", kind)
    background, foreground = PLOT_COLOURS[kind]
    pg.setConfigOptions(background=background, foreground=foreground)
    for view in window.findChildren(pg.GraphicsView):
        recolour(view, background, foreground)
    return kind


def recolour(view, background, foreground):
    """A plot widget already made, in the theme's colours."""
    view.setBackground(background)
    pen = pg.mkPen(foreground)
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            item.setPen(pen)
            item.setTextPen(pen)
        elif isinstance(item, pg.LabelItem):
            item.setText(item.text, color=foreground)
        elif isinstance(item, pg.LegendItem):
            item.setLabelTextColor(foreground)
            item.setBrush(pg.mkBrush(background))
