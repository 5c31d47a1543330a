"""Tabs whose pages scroll when the window is smaller than they are: the app fits a laptop's screen.

Each page sits in a QScrollArea that lets it grow with the window and shows scroll
bars only below the page's own minimum (a 1024×640 screen, or a scale factor of 2).
The methods that name pages (currentWidget, setCurrentWidget, widget, indexOf) take
and give the pages themselves, never their scroll areas.
"""

from PySide6 import QtCore, QtWidgets


class ScrollingTabs(QtWidgets.QTabWidget):
    def addTab(self, page, title):
        scroll = QtWidgets.QScrollArea()
        scroll.setObjectName(f"{page.objectName() or 'page'}Scroll")
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        return super().addTab(scroll, title)

    def widget(self, index):
        scroll = super().widget(index)
        return None if scroll is None else scroll.widget()

    def currentWidget(self):
        return self.widget(self.currentIndex())

    def indexOf(self, page):
        return next((i for i in range(self.count()) if self.widget(i) is page), -1)

    def setCurrentWidget(self, page):
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)
