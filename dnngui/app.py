"""The dnngui desktop window."""

import sys

from PySide6 import QtWidgets


class MainWindow(QtWidgets.QMainWindow):
    """The main window: constructible with no arguments."""

    def __init__(self):
        super().__init__()
        self.setWindowTitle("dnngui")
        self.resize(900, 600)


def run(argv):
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0], *argv])
    window = MainWindow()
    window.show()
    return app.exec()
