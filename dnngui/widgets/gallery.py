"""A grid of small digit pictures with captions (misclassified digits, your drawings)."""

from PySide6 import QtCore, QtGui, QtWidgets

from dnngui.widgets.images import gray_image


def make_gallery(object_name, icon_side, tooltip):
    gallery = QtWidgets.QListWidget()
    gallery.setObjectName(object_name)
    gallery.setViewMode(QtWidgets.QListView.ViewMode.IconMode)
    gallery.setIconSize(QtCore.QSize(icon_side, icon_side))
    gallery.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
    gallery.setMovement(QtWidgets.QListView.Movement.Static)
    gallery.setSpacing(4)
    gallery.setToolTip(tooltip)
    return gallery


def add_digit(gallery, image, caption, tooltip=""):
    """Append a uint8 28×28 digit (255 = ink) with its caption."""
    side = gallery.iconSize().width()
    icon = QtGui.QIcon(QtGui.QPixmap.fromImage(gray_image(image / 255.0).scaled(side, side)))
    item = QtWidgets.QListWidgetItem(icon, caption)
    item.setToolTip(tooltip)
    gallery.addItem(item)
    return item
