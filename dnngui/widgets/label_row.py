"""The row under the canvas that labels a drawing: "This is a 0 1 2 … 9"."""

from PySide6 import QtCore, QtWidgets


class LabelRow(QtWidgets.QWidget):
    """ "This is a …" and one button per digit; ``labelled(int)`` when one is pressed."""

    labelled = QtCore.Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("labelRow")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.label = QtWidgets.QLabel("This is a ")
        # the words keep their width; the buttons give way on a narrow window (at 1024 px it read "This")
        self.label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Preferred)
        layout.addWidget(self.label)
        self.buttons = []
        for digit in range(10):
            button = QtWidgets.QToolButton()
            button.setText(str(digit))
            button.setObjectName(f"labelButton{digit}")
            button.setMinimumWidth(20)
            button.setMaximumWidth(30)
            button.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)
            button.setToolTip(f"Add the drawing to your digits as a {digit} (or press {digit} on the canvas)")
            button.clicked.connect(lambda checked=False, d=digit: self.labelled.emit(d))
            layout.addWidget(button)
            self.buttons.append(button)
