"""The drawing canvas: the network's 28×28 input, enlarged, drawn on like paper."""

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from dnngui.core import ink
from dnngui.widgets.images import gray_image, signed_overlay

CELL_PIXELS = 12  # preferred screen pixels per input cell


class Canvas(QtWidgets.QWidget):
    """Left button (or pen) draws, right button (or the pen's eraser) erases.

    Shows ``drawing.ink`` cell for cell: what you see is what the network gets
    before preprocessing. Emits ``ink_changed`` on every pen movement that
    changes the ink, and ``stroke_finished`` when the pen lifts.
    """

    ink_changed = QtCore.Signal()
    stroke_finished = QtCore.Signal()
    digit_pressed = QtCore.Signal(int)
    replay_finished = QtCore.Signal()

    REPLAY_MS = 100  # the pen-drawn digits were recorded as one point every 100 ms of writing

    def __init__(self, drawing, parent=None):
        super().__init__(parent)
        self.drawing = drawing
        self.brush_width = ink.DEFAULT_WIDTH
        self.show_grid = True
        self._grid = QtGui.QPixmap()  # the cell grid, drawn once per canvas size
        self.overlay = None  # a signed (28, 28) array drawn over the ink (the saliency), or None
        self._replay = []  # the points still to replay: (stroke number, (x, y)) in cell units
        self._replay_stroke = None
        self._replay_timer = QtCore.QTimer(self)
        self._replay_timer.timeout.connect(self._on_replay_tick)
        self.setObjectName("canvas")
        self.setMinimumSize(ink.SIDE * 6, ink.SIDE * 6)  # 6 px a cell: the window fits 960×540 (1080p at 2×)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setCursor(QtCore.Qt.CursorShape.CrossCursor)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setToolTip(
            "Draw a digit: left button draws, right button erases.\n"
            "Ctrl+Z undoes a stroke, Esc clears; a digit key adds the drawing to your digits."
        )

    def sizeHint(self):
        return QtCore.QSize(ink.SIDE * CELL_PIXELS, ink.SIDE * CELL_PIXELS)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        # never taller than wide: the grid is square, and the height below it is the guess's plot's
        self.setMaximumHeight(max(self.minimumHeight(), self.width()))

    # ------------------------------------------------------------ geometry
    def _square(self):
        """The drawing area: the largest square centred in the widget, in whole cells."""
        cell = max(1, min(self.width(), self.height()) // ink.SIDE)
        side = cell * ink.SIDE
        return QtCore.QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    def to_cells(self, position):
        """A widget position (QPointF) in cell units: (0, 0) top-left, (28, 28) bottom-right."""
        square = self._square()
        scale = ink.SIDE / square.width()
        return ((position.x() - square.x()) * scale, (position.y() - square.y()) * scale)

    def cell_centre(self, x, y):
        """The widget position of cell coordinates (x, y): the inverse of to_cells."""
        square = self._square()
        scale = square.width() / ink.SIDE
        return QtCore.QPointF(square.x() + x * scale, square.y() + y * scale)

    # ------------------------------------------------------------- painting
    def paintEvent(self, event):
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        square = self._square()
        painter.drawImage(square, gray_image(self.drawing.ink))  # nearest-neighbour: cells stay cells
        if self.overlay is not None:
            painter.drawImage(square, signed_overlay(self.overlay))
        if self.show_grid and square.width() >= ink.SIDE * 6:
            painter.drawPixmap(square.topLeft(), self._grid_pixmap(square.width()))
        painter.setPen(QtGui.QPen(self.palette().mid().color(), 1))
        painter.drawRect(square.adjusted(0, 0, -1, -1))
        painter.end()

    def _grid_pixmap(self, side):
        """Faint lines between the cells, cached: drawing them each frame costs milliseconds."""
        if self._grid.width() != side:
            self._grid = QtGui.QPixmap(side, side)
            self._grid.fill(QtCore.Qt.GlobalColor.transparent)
            painter = QtGui.QPainter(self._grid)
            painter.setPen(QtGui.QPen(QtGui.QColor(255, 255, 255, 28), 0))
            step = side / ink.SIDE
            for i in range(1, ink.SIDE):
                offset = round(i * step)
                painter.drawLine(offset, 0, offset, side)
                painter.drawLine(0, offset, side, offset)
            painter.end()
        return self._grid

    # ---------------------------------------------------------------- input
    def _begin(self, position, erase):
        if not QtCore.QRectF(self._square()).contains(position):
            return  # a stroke starts on the grid only: a press in the margin beside it inked the grid's edge
        self.drawing.begin(self.to_cells(position), self.brush_width, erase=erase)
        self.update()
        self.ink_changed.emit()

    def _extend(self, position):
        if self.drawing.drawing_in_progress:
            self.drawing.extend(self.to_cells(position))
            self.update()
            self.ink_changed.emit()

    def _end(self):
        if self.drawing.drawing_in_progress:
            self.drawing.end()
            self.stroke_finished.emit()

    def mousePressEvent(self, event):
        self.stop_replay()
        if event.button() in (QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.MouseButton.RightButton):
            self._begin(event.position(), erase=event.button() == QtCore.Qt.MouseButton.RightButton)

    def mouseMoveEvent(self, event):
        self._extend(event.position())

    def mouseReleaseEvent(self, event):
        self._end()

    def keyPressEvent(self, event):
        if event.key() in (QtCore.Qt.Key.Key_Delete, QtCore.Qt.Key.Key_Backspace):
            self.clear()
            event.accept()
            return
        text = event.text()
        if len(text) == 1 and text.isdigit() and not event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier:
            self.digit_pressed.emit(int(text))
            event.accept()
            return
        super().keyPressEvent(event)

    def tabletEvent(self, event):
        kind = event.type()
        if kind == QtCore.QEvent.Type.TabletPress:
            eraser = event.pointerType() == QtGui.QPointingDevice.PointerType.Eraser
            self._begin(event.position(), erase=eraser)
        elif kind == QtCore.QEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QtCore.QEvent.Type.TabletRelease:
            self._end()
        event.accept()  # no synthesised mouse events on top

    # --------------------------------------------------------------- editing
    def set_overlay(self, values):
        """Draw a signed 28×28 array over the ink (blue +, orange −); None removes it."""
        if values is None and self.overlay is None:
            return  # nothing to remove: no repaint
        self.overlay = None if values is None else np.asarray(values).reshape(ink.SIDE, ink.SIDE).copy()
        self.update()

    def set_brush_width(self, width):
        self.brush_width = float(np.clip(width, ink.MIN_WIDTH, ink.MAX_WIDTH))

    def undo(self):
        if self.drawing.undo():
            self.update()
            self.ink_changed.emit()
            self.stroke_finished.emit()

    def clear(self):
        self._replay_timer.stop()
        self._replay = []
        self.drawing.clear()
        self.update()
        self.ink_changed.emit()
        self.stroke_finished.emit()

    def load(self, image):
        self.stop_replay()
        self.drawing.load(image)
        self.update()
        self.ink_changed.emit()
        self.stroke_finished.emit()

    # ---------------------------------------------------------------- replay
    def replay(self, strokes, interval_ms=None):
        """Draw ``strokes`` (lists of (x, y) points in cells) as a pen would, one point every ``interval_ms``
        (default REPLAY_MS: the speed they were written at).

        The canvas is cleared first; the same brush, preprocessing and classification
        follow each point as they follow a person's pen. Drawing by hand stops the replay.
        """
        self.clear()
        self._replay = [(k, tuple(map(float, p))) for k, stroke in enumerate(strokes) for p in stroke]
        self._replay_timer.start(self.REPLAY_MS if interval_ms is None else interval_ms)

    @property
    def replaying(self):
        return self._replay_timer.isActive()

    def stop_replay(self):
        if self._replay_timer.isActive():
            self._replay_timer.stop()
            self._replay = []
            self._end()

    def _on_replay_tick(self):
        stroke, point = self._replay.pop(0)
        if self.drawing.drawing_in_progress and self._replay_stroke == stroke:
            self.drawing.extend(point)
            self.update()
            self.ink_changed.emit()
        else:
            self._end()
            self._replay_stroke = stroke
            self.drawing.begin(point, self.brush_width)
            self.update()
            self.ink_changed.emit()
        if not self._replay:
            self._replay_timer.stop()
            self._end()
            self.replay_finished.emit()
