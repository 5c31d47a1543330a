"""The View menu: a shortcut for every tab, and the colour theme (System, Light, Dark), remembered."""

import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from dnngui.window.main_window import MainWindow


def lightness(colour):
    return QtGui.QColor(colour).lightness()


def test_every_tab_has_a_shortcut_and_next_and_previous_go_round(window):
    for index, action in enumerate(window.tab_actions):
        assert action.shortcut().toString() == f"Alt+{index + 1}"
        action.trigger()
        assert window.side_tabs.currentIndex() == index
    window.next_tab_action.trigger()
    assert window.side_tabs.currentIndex() == 0  # round from the last to the first
    window.previous_tab_action.trigger()
    assert window.side_tabs.currentIndex() == window.side_tabs.count() - 1


def test_ctrl_tab_goes_on_tab_after_tab_wherever_the_focus_is(window, qtbot):
    from PySide6 import QtCore

    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.canvas.setFocus()
    start = window.side_tabs.currentIndex()
    for step in range(1, 4):  # the tab bar's own Ctrl+Tab changed the tab once, then stopped
        focused = QtWidgets.QApplication.focusWidget() or window
        qtbot.keyClick(focused, QtCore.Qt.Key.Key_Tab, QtCore.Qt.KeyboardModifier.ControlModifier)
        assert window.side_tabs.currentIndex() == (start + step) % window.side_tabs.count()
    focused = QtWidgets.QApplication.focusWidget() or window
    qtbot.keyClick(
        focused,
        QtCore.Qt.Key.Key_Backtab,
        QtCore.Qt.KeyboardModifier.ControlModifier | QtCore.Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.side_tabs.currentIndex() == (start + 2) % window.side_tabs.count()
    assert "Ctrl+Tab" in dict(guide_rows(window).items()).get("Next Tab", "")


def guide_rows(window):
    from dnngui.window import guide

    return {what: keys for keys, what in guide.shortcuts(window)}


def test_the_dark_theme_colours_the_window_and_every_plot_and_is_remembered(window, qtbot):
    assert [a.text() for a in window.theme_actions.values()] == ["System", "Light", "Dark"]
    window.theme_actions["Dark"].trigger()
    assert window.theme_actions["Dark"].isChecked() and not window.theme_actions["System"].isChecked()
    app = QtGui.QGuiApplication.instance()
    assert lightness(app.palette().color(QtGui.QPalette.ColorRole.Window)) < 80
    plots = window.findChildren(pg.GraphicsView)
    assert plots and all(lightness(p.backgroundBrush().color()) < 80 for p in plots)
    axis = window.train_tab.plot.loss.getAxis("left")
    assert lightness(axis.pen().color()) > 180  # light text on the dark plot
    window.side_tabs.setCurrentWidget(window.step_view)  # plots made after the choice follow it too
    assert lightness(window.step_view.plots.backgroundBrush().color()) < 80
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.theme_actions["Dark"].isChecked()
    again.theme_actions["Light"].trigger()
    assert lightness(app.palette().color(QtGui.QPalette.ColorRole.Window)) > 180
    assert all(lightness(p.backgroundBrush().color()) > 240 for p in again.findChildren(pg.GraphicsView))


def test_the_model_summary_stays_in_the_status_bar_after_a_menu_tip(window):
    summary = window.model_summary.text()
    assert "parameters" in summary
    window.statusBar().showMessage("A menu's tip")
    window.statusBar().clearMessage()
    assert window.model_summary.isVisibleTo(window) and window.model_summary.text() == summary


def test_help_names_the_article_and_every_tab_and_lays_shortcuts_out_as_a_table(window, dialogs):
    window.how_to_action.trigger()
    how_to = dialogs.infos[-1]
    for tab in ("Step", "Health", "Classic experiments", "Jafari"):
        assert tab in how_to
    assert all("\n" not in paragraph for paragraph in how_to.split("\n\n"))  # the dialog wraps, not the text
    window.shortcuts_action.trigger()
    assert dialogs.infos[-1].startswith("<table>") and "Alt+1" in dialogs.infos[-1]
    window.about_action.trigger()
    assert "Understanding the Math behind Deep Neural Networks" in dialogs.infos[-1]
    assert "Kiana Jafari" in window.math_view.text.toPlainText()


def test_the_window_fits_a_laptop_screen_and_every_tab_can_be_reached_whole(window, qtbot):
    """At 1024×640 logical pixels nothing is off-screen: a page smaller than its own minimum scrolls."""
    from PySide6 import QtCore, QtWidgets

    assert window.minimumSizeHint().width() <= 1024 and window.minimumSizeHint().height() <= 640 - 30
    # and 1920×1080 at a scale factor of 2: 960×540 logical pixels, less a title bar
    assert window.minimumSizeHint().width() <= 960 and window.minimumSizeHint().height() <= 540 - 30
    window.resize(1024, 610)  # 640 less a title bar
    for index in range(window.side_tabs.count()):
        window.side_tabs.setCurrentIndex(index)
        QtWidgets.QApplication.processEvents()
        page = window.side_tabs.widget(index)
        scroll = window.side_tabs.area(index)
        assert isinstance(scroll, QtWidgets.QScrollArea)
        hint = page.minimumSizeHint()
        assert page.width() >= hint.width() and page.height() >= hint.height()  # never squeezed: it scrolls
        assert scroll.viewport().rect().intersects(QtCore.QRect(page.pos(), page.size()))
    assert window.canvas.width() >= 200 and window.canvas.isVisible()
    assert window.canvas.height() <= window.canvas.width()  # square: the height left is the guess's plot's


def test_long_tips_are_shown_wrapped_and_none_ends_in_a_dangling_word(window):
    """A plain tip shown as one line could be 1,400 px wide; shown, every long tip is a wrapped paragraph."""
    from PySide6 import QtCore, QtWidgets

    from dnngui.widgets.tooltips import wrapped

    tips = {w: w.toolTip() for w in window.findChildren(QtWidgets.QWidget) if w.toolTip()}
    assert len(tips) > 30
    for tip in tips.values():
        shown = QtWidgets.QLabel(wrapped(tip))
        shown.setWordWrap(QtGui.Qt.mightBeRichText(shown.text()))
        assert shown.sizeHint().width() <= 700, tip
        assert not tip.rstrip().endswith("'"), tip
    button = window.train_tab.train_button
    assert len(button.toolTip()) > 100
    centre = button.rect().center()
    event = QtGui.QHelpEvent(QtCore.QEvent.Type.ToolTip, centre, button.mapToGlobal(centre))
    QtWidgets.QApplication.sendEvent(button, event)
    assert QtWidgets.QToolTip.isVisible() and QtWidgets.QToolTip.text().startswith("<p>")
    QtWidgets.QToolTip.hideText()


def test_headers_and_run_lines_are_not_cut_off_at_the_smallest_window(window, qtbot):
    from PySide6 import QtCore, QtWidgets

    from dnngui.core import runs
    from dnngui.core.recipe import Recipe

    window.resize(1024, 610)
    window.side_tabs.setCurrentWidget(window.math_view)
    QtWidgets.QApplication.processEvents()
    table = window.math_view.results
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        title = table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(title), title
    assert not table.horizontalScrollBar().isVisible()
    for _ in range(3):
        window.run_store.add(runs.begin(Recipe().as_dict()))
    window.side_tabs.setCurrentWidget(window.train_tab)
    QtWidgets.QApplication.processEvents()
    listed = window.train_tab.runs.list
    assert listed.count() == 3 and not listed.horizontalScrollBar().isVisible()
    line = listed.item(0).text()
    assert listed.fontMetrics().horizontalAdvance(line) > listed.viewport().width()  # too long for one line…
    assert listed.visualItemRect(listed.item(0)).height() >= 2 * listed.fontMetrics().height()  # …so it wraps
    assert QtCore.QRect(listed.viewport().rect()).contains(listed.visualItemRect(listed.item(0)))
