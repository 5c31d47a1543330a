"""PySide6 6.12.0 aborts on Python 3.11 ("Fatal Python error: none_dealloc") after a
few seconds of repainting. This repaints a widget and a live pyqtgraph plot a few
thousand times in a child process, so an upgrade that brings the crash back fails."""

import os
import subprocess
import sys

SCRIPT = """
import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

class Painted(QtWidgets.QWidget):
    def paintEvent(self, event):
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), QtGui.QColor(30, 30, 30))
        painter.end()

app = QtWidgets.QApplication([])
widget = Painted()
widget.resize(200, 200)
widget.show()
plot = pg.PlotWidget()
curve = plot.plot()
plot.show()
for i in range(3000):
    widget.repaint()
    curve.setData(np.sin(np.arange(200) * 0.1 + i * 0.01))
    plot.repaint()
    app.processEvents()
print("survived")
"""


def test_thousands_of_repaints_do_not_abort():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "survived"
