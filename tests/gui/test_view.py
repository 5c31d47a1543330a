"""The View menu: a shortcut for every tab, and the colour theme (System, Light, Dark), remembered."""

import pyqtgraph as pg
from PySide6 import QtGui

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
    window.resize(1024, 610)  # 640 less a title bar
    for index in range(window.side_tabs.count()):
        window.side_tabs.setCurrentIndex(index)
        QtWidgets.QApplication.processEvents()
        page = window.side_tabs.widget(index)
        scroll = page.parentWidget().parentWidget()
        assert isinstance(scroll, QtWidgets.QScrollArea)
        hint = page.minimumSizeHint()
        assert page.width() >= hint.width() and page.height() >= hint.height()  # never squeezed: it scrolls
        assert scroll.viewport().rect().intersects(QtCore.QRect(page.pos(), page.size()))
    assert window.canvas.width() >= 200 and window.canvas.isVisible()
