"""Teach one step with the 0-vs-1 model (one sigmoid unit), in a process of its own: it once crashed the app.

Prints the bars' x positions and heights as JSON; run by tests/gui/test_step.py.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main():
    from PySide6 import QtCore, QtWidgets

    app = QtWidgets.QApplication([])
    folder = Path(tempfile.mkdtemp())
    QtCore.QSettings.setPath(QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, str(folder))
    from dnngui.state.personal_store import PersonalStore
    from dnngui.window.main_window import MainWindow

    window = MainWindow(personal_store=PersonalStore(folder / "data"))
    window.show()
    window.files.zero_one_action.trigger()
    window.side_tabs.setCurrentWidget(window.step_view)
    window.canvas.drawing.begin((14.0, 5.0), window.canvas.brush_width)
    window.canvas.drawing.extend((14.0, 23.0))
    window.canvas.drawing.end()
    window.canvas.ink_changed.emit()
    app.processEvents()
    view = window.step_view
    view.target.setCurrentIndex(0)
    record = view.teach_one_step()
    app.processEvents()
    window.grab()  # paint the bars
    print(
        json.dumps(
            {
                "delta_x": list(map(float, view.delta_bars.opts["x"])),
                "delta": list(map(float, view.delta_bars.opts["height"])),
                "after": list(map(float, view.after_bars.opts["height"])),
                "dZ": list(map(float, record.dZ[-1])),
                "status": view.status.text(),
            }
        )
    )
    window.state.dirty = False
    window.close()


if __name__ == "__main__":
    main()
