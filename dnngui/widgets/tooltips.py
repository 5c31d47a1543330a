"""Tooltips that wrap: a long plain-text tip is shown as a paragraph, never one line across the screen.

Qt shows a plain-text tooltip on one line (up to the screen's width) and wraps only rich text.
:class:`WrappingTips`, installed once on the application, turns every long plain tip into rich
text as it is shown, so a tip written or changed anywhere in the window wraps without each
``setToolTip`` having to remember to.
"""

import html

from PySide6 import QtCore, QtGui, QtWidgets

WRAP_AFTER = 70  # characters: a tip longer than this becomes a wrapped paragraph


def wrapped(text):
    """``text`` as a tooltip Qt wraps: rich text for a long plain tip; short or rich tips as they are."""
    if len(text) <= WRAP_AFTER or QtGui.Qt.mightBeRichText(text):
        return text
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n")]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)


class WrappingTips(QtCore.QObject):
    """An application event filter that shows widgets' long plain tips wrapped."""

    def eventFilter(self, watched, event):
        if event.type() == QtCore.QEvent.Type.ToolTip and isinstance(watched, QtWidgets.QWidget):
            text = watched.toolTip()
            shown = wrapped(text)
            if shown != text:
                QtWidgets.QToolTip.showText(event.globalPos(), shown, watched)
                return True
        return False


_installed = {}  # the application → its filter, kept alive with it


def install(app):
    """Wrap long tips in every window of ``app`` (once, however many windows are made)."""
    if app not in _installed:
        _installed[app] = WrappingTips(app)
        app.installEventFilter(_installed[app])
