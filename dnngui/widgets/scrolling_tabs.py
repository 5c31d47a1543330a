"""Tabs whose pages scroll when the window is smaller than they are: the app fits a laptop's screen.

Each page sits in a QScrollArea that lets it grow with the window and shows scroll
bars only below the page's own minimum (a 1024×640 screen, or a scale factor of 2).
The methods that name pages (currentWidget, setCurrentWidget, widget, indexOf) take
and give the pages themselves, never their scroll areas.
"""

from PySide6 import QtCore, QtWidgets


class _Fit(QtWidgets.QWidget):
    """Holds a page at the scroll area's size, or at the page's minimum where that is larger.

    A QScrollArea asks a resizable page with word-wrapped text (its layout has a height for
    width) for the height it prefers at that width, not its minimum: the Health page came out
    1,500 pixels tall in a 900-pixel window, its plots below the fold at every size. This holder
    has no layout and no height for width, so the area sizes it by its minimum, which counts the
    lines that wrapped text needs at the width the page gets.
    """

    def __init__(self, page):
        super().__init__()
        self.page = page
        page.setParent(self)
        page.installEventFilter(self)

    def minimumSizeHint(self):
        """The page's minimum, and for word-wrapped text the least height it needs at the width it gets."""
        least = self.page.minimumSizeHint()
        layout = self.page.layout()
        if layout is not None and layout.hasHeightForWidth() and self.parentWidget() is not None:
            width = max(least.width(), self.parentWidget().width())  # the scroll area's viewport
            least.setHeight(max(least.height(), layout.minimumHeightForWidth(width)))
        return least

    def sizeHint(self):
        return self.page.sizeHint()

    def resizeEvent(self, event):
        self.page.setGeometry(self.rect())

    def eventFilter(self, watched, event):
        if event.type() == QtCore.QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the page's minimum may have changed
        return False


class ScrollingTabs(QtWidgets.QTabWidget):
    def addTab(self, page, title):
        scroll = QtWidgets.QScrollArea()
        scroll.setObjectName(f"{page.objectName() or 'page'}Scroll")
        scroll.setWidget(_Fit(page))
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        return super().addTab(scroll, title)

    def widget(self, index):
        scroll = super().widget(index)
        return None if scroll is None else scroll.widget().page

    def area(self, index):
        """The scroll area that shows page ``index``."""
        return super().widget(index)

    def currentWidget(self):
        return self.widget(self.currentIndex())

    def indexOf(self, page):
        return next((i for i in range(self.count()) if self.widget(i) is page), -1)

    def setCurrentWidget(self, page):
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)
