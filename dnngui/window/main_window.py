"""The dnngui main window: draw a digit, see what the network makes of it."""

import functools
import gc
import sys
import threading
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from dnngui import core
from dnngui.core import blas, corpus, export, ink, onnxfile
from dnngui.core.errors import os_message
from dnngui.core.inference import classify
from dnngui.core.preprocess import pull_back
from dnngui.noqt import desktop
from dnngui.state import settings
from dnngui.state.data_source import DataSource
from dnngui.state.model import ModelState, shape_of
from dnngui.state.personal_store import PersonalStore
from dnngui.state.run_store import RunStore
from dnngui.tabs.evaluate import EvaluationView
from dnngui.tabs.health import HealthView
from dnngui.tabs.inside import LayerPanel
from dnngui.tabs.math import MathView
from dnngui.tabs.my_digits import MyDigitsView
from dnngui.tabs.step import StepView
from dnngui.tabs.train.tab import TrainTab
from dnngui.widgets import dialogs, theme, tooltips
from dnngui.widgets.canvas import Canvas
from dnngui.widgets.label_row import LabelRow
from dnngui.widgets.prediction import PredictionPanel
from dnngui.widgets.scrolling_tabs import ScrollingTabs
from dnngui.window import guide
from dnngui.window.model_menu import ModelFiles, make_action
from dnngui.window.throttle import Throttle, frame_budget_ms

MIN_LEFT_WIDTH = 300  # the canvas and the guess: with the tabs' pages scrolling, the window fits 1024×640
pg.setConfigOptions(background="w", foreground="k", antialias=True, imageAxisOrder="row-major")


class MainWindow(QtWidgets.QMainWindow):
    """The main window; constructible with no arguments (it opens the shipped digits model)."""

    def __init__(self, model_state=None, personal_store=None):
        super().__init__()
        blas.set_threads(1)  # training beside the window leaves the window a core (measured: see core.blas)
        tooltips.install(QtWidgets.QApplication.instance())  # long tips wrap (0.6 µs an event, measured)
        self.state = model_state if model_state is not None else ModelState()
        self.data_source = DataSource()
        # not ``or``: a store with no drawings yet is empty, so false, and would be swapped for the default folder's
        self.personal_store = personal_store if personal_store is not None else PersonalStore()
        self.drawing = ink.Drawing()
        self.prediction = None
        self._training_network = None  # the weights being trained, while training runs
        self._closing = False  # closing as soon as the running jobs have stopped
        self._settled = False  # the objects of the app's start are kept out of the garbage collector's scans
        self._drawing_held_out = None  # the thread drawing the held-out pen writers after the window shows

        self.canvas = Canvas(self.drawing)
        self.panel = PredictionPanel(self.state.network.classes)
        self._build_tools()
        self._build_layout()
        self._build_actions()
        self._build_menus()
        self.statusBar().setObjectName("statusBar")
        # the model's summary stays while messages and menus' tips come and go on the left
        self.model_summary = dialogs.plain_label()
        self.model_summary.setObjectName("modelSummary")
        self.statusBar().addPermanentWidget(self.model_summary)
        self.setWindowIcon(QtGui.QIcon(str(desktop.icon_path())))

        # Classify at most about once per screen frame while the pen moves, and at once when it lifts.
        self.classify = Throttle(self.update_prediction, frame_budget_ms(self), self)
        self.canvas.ink_changed.connect(self.classify.request)
        self.canvas.stroke_finished.connect(self.classify.now)
        self.state.changed.connect(self._on_model_changed)
        self.state.dirty_changed.connect(self._on_dirty_changed)

        self.run_store = RunStore(self.personal_store.folder / "runs")
        self.train_tab = TrainTab(self.state, self.data_source, self.personal_store, self.run_store)
        self.add_side_tab(self.train_tab, "Train", "Train the network with backpropagation and watch the cost fall")
        self.train_tab.snapshot.connect(self._on_training_snapshot)
        self.train_tab.running_changed.connect(self._on_training_running)
        self.layer_panel = LayerPanel(self.state)
        self.add_side_tab(self.layer_panel, "Inside", "Every layer's shapes, its activations for your drawing, W1")
        self.math_view = MathView(self.state, self.data_source, self.train_tab.batch_size)
        self.add_side_tab(self.math_view, "Math", "The article's equations with this network's shapes")
        self.train_tab.batch_size_changed.connect(self.math_view.set_batch_size)
        self.train_tab.planned_changed.connect(self.math_view.set_planned)
        self.step_view = StepView(self.state)
        self.add_side_tab(self.step_view, "Step", "One step of backprop on your drawing, and why it thinks so")
        self.step_view.why_changed.connect(self.update_prediction)
        self.step_view.nudged.connect(self._on_nudged)
        self.step_view.stepped.connect(self.update_prediction)
        self.health_view = HealthView(self.state, self.data_source)
        self.add_side_tab(self.health_view, "Health", "Each layer's gradients and steps, dead units, histograms")
        self.train_tab.run_started.connect(self.health_view.start_run)
        self.train_tab.run_kept.connect(self.health_view.run_kept)
        self.train_tab.progressed.connect(
            lambda progress: self.health_view.add_progress(progress, self.train_tab.history.epoch_offset)
        )
        self.evaluation_view = EvaluationView(self.state, self.data_source)
        self.add_side_tab(self.evaluation_view, "Evaluate", "Accuracy, confusion matrix and the digits it gets wrong")
        self.evaluation_view.digit_chosen.connect(self._on_digit_chosen)
        self.evaluation_view.strokes_chosen.connect(self._on_strokes_chosen)
        self.side_tabs.currentChanged.connect(self._on_side_tab_changed)
        self.my_digits = MyDigitsView(self.personal_store, self.state)
        self.add_side_tab(self.my_digits, "My digits", "Your labelled drawings: teach the network your handwriting")
        self.my_digits.fine_tune_requested.connect(self.fine_tune)
        self.train_tab.fine_tuned.connect(self.my_digits.show_fine_tune)
        self.canvas.digit_pressed.connect(self.label_drawing)
        self.label_row.labelled.connect(self.label_drawing)
        if self.personal_store.notice:
            QtCore.QTimer.singleShot(0, self._show_store_notice)

        self._build_view_menu(self.view_menu)
        self._restore_settings()
        self._on_model_changed()
        self.canvas.setFocus()

    # ------------------------------------------------------------------ build
    def _build_tools(self):
        self.brush_slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.brush_slider.setObjectName("brushSlider")
        self.brush_slider.setRange(round(ink.MIN_WIDTH * 10), round(ink.MAX_WIDTH * 10))
        self.brush_slider.setValue(round(ink.DEFAULT_WIDTH * 10))
        self.brush_slider.setToolTip("Brush width in canvas cells ([ thinner, ] thicker)")
        self.brush_slider.valueChanged.connect(self._on_brush_changed)
        self.brush_label = QtWidgets.QLabel()
        self.undo_button = QtWidgets.QPushButton("Undo")
        self.undo_button.setToolTip("Undo the last stroke (Ctrl+Z)")
        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button = QtWidgets.QPushButton("Clear")
        self.clear_button.setToolTip("Clear the canvas (Esc or Delete)")
        self.clear_button.clicked.connect(self.canvas.clear)
        self.label_row = LabelRow()

    def _build_layout(self):
        tools = QtWidgets.QHBoxLayout()
        tools.addWidget(QtWidgets.QLabel("Brush"))
        tools.addWidget(self.brush_slider, 1)
        tools.addWidget(self.brush_label)
        tools.addWidget(self.undo_button)
        tools.addWidget(self.clear_button)
        left = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(left)
        column.addWidget(self.canvas, 5)
        column.addLayout(tools)
        column.addWidget(self.label_row)
        column.addWidget(self.panel, 3)
        self.side_tabs = ScrollingTabs()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setDocumentMode(True)
        self.splitter = QtWidgets.QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(MIN_LEFT_WIDTH)
        self.splitter.setSizes([460, 800])
        self.side_tabs.hide()  # shown once a tab is added
        self.setCentralWidget(self.splitter)

    def _fit_splitter(self):
        """Give the tabs the width their widest page needs, if the canvas keeps its own minimum beside
        them; on a narrower screen the canvas keeps MIN_LEFT_WIDTH and the pages scroll."""
        total = sum(self.splitter.sizes())
        pages = max(self.side_tabs.widget(i).minimumSizeHint().width() for i in range(self.side_tabs.count()))
        tabs = min(max(pages + 20, total * 3 // 5), total - MIN_LEFT_WIDTH)  # 20: the page's frame and scroll bar
        self.splitter.setSizes([total - tabs, tabs])

    def add_side_tab(self, widget, title, tooltip=""):
        index = self.side_tabs.addTab(widget, title)
        self.side_tabs.setTabToolTip(index, tooltip)
        self.side_tabs.show()
        return index

    def _action(self, text, slot, shortcut=None, tip=""):
        return make_action(self, text, slot, shortcut, tip)

    def _build_actions(self):
        keys = QtGui.QKeySequence.StandardKey
        self.files = ModelFiles(self, self.state)
        self.import_action = self._action(
            "&Import MNIST…", self.import_mnist, "Ctrl+I", "Train and evaluate on a folder of MNIST IDX files"
        )
        self.import_pen_action = self._action(
            "Import &Pen-Drawn Digits…",
            self.import_pen,
            None,
            "Train and evaluate on a .unipen[.gz] file of digits written with a pen",
        )
        self.bundled_action = self._action(
            "Use &Bundled Digits",
            self.data_source.use_bundled,
            None,
            "Go back to the bundled MNIST and pen-drawn digits, for training and evaluation",
        )
        self.export_script_action = self._action(
            "Python &Script…",
            self.export_script,
            None,
            "The network as one NumPy script with the article's equations, its weights and the MNIST digits",
        )
        self.export_onnx_action = self._action(
            "&ONNX…",
            self.export_onnx,
            None,
            "The network as an ONNX graph, for ONNX Runtime and Netron (needs the onnx package)",
        )
        self.quit_action = self._action("&Quit", self.close, keys.Quit, "Quit dnngui")
        self.undo_action = self._action("&Undo Stroke", self.canvas.undo, keys.Undo, "Undo the last stroke")
        self.clear_action = self._action(
            "&Clear Canvas", self.canvas.clear, "Esc", "Clear the canvas (Delete on the canvas too)"
        )
        self.thicker_action = self._action("&Thicker Brush", lambda: self._step_brush(+2), "]", "Make the brush wider")
        self.thinner_action = self._action(
            "Thi&nner Brush", lambda: self._step_brush(-2), "[", "Make the brush narrower"
        )
        for action in (self.undo_action, self.clear_action, self.thicker_action, self.thinner_action):
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)

    def _build_menus(self):
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.import_pen_action)
        self.file_menu.addAction(self.bundled_action)
        self.file_menu.addSeparator()
        self.export_menu = self.file_menu.addMenu("&Export")
        self.export_menu.addAction(self.export_script_action)
        self.export_menu.addAction(self.export_onnx_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.model_menu = bar.addMenu("&Model")
        self.files.fill_menu(self.model_menu)
        edit = bar.addMenu("&Edit")
        for action in (self.undo_action, self.clear_action, self.thicker_action, self.thinner_action):
            edit.addAction(action)
        self.view_menu = bar.addMenu("&View")  # filled once the tabs are there
        self.help_menu = bar.addMenu("&Help")
        self.how_to_action = self._action("&How to Use dnngui", self._show_how_to, "F1", "A short guide to the app")
        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts", self._show_shortcuts, "Ctrl+/", "Every keyboard shortcut"
        )
        self.about_action = self._action("&About dnngui", self._show_about, None, "Version, licences and the data")
        for action in (self.how_to_action, self.shortcuts_action, self.about_action):
            self.help_menu.addAction(action)

    def _build_view_menu(self, menu):
        """A shortcut for each tab (Alt+1 …), the next and the one before, and the colour theme."""
        self.tab_actions = []
        for index in range(self.side_tabs.count()):
            title = self.side_tabs.tabText(index)
            action = self._action(
                f"{title} Tab",
                functools.partial(self.side_tabs.setCurrentIndex, index),
                f"Alt+{index + 1}",
                f"Show the {title} tab",
            )
            self.tab_actions.append(action)
            menu.addAction(action)
        self.next_tab_action = self._action("&Next Tab", lambda: self._step_tab(+1), "Ctrl+PgDown", "The tab after")
        self.previous_tab_action = self._action(
            "&Previous Tab", lambda: self._step_tab(-1), "Ctrl+PgUp", "The tab before"
        )
        # Ctrl+Tab too, wherever the focus is: the tab bar's own Ctrl+Tab worked once, then the focus left it
        self.next_tab_action.setShortcuts([QtGui.QKeySequence("Ctrl+PgDown"), QtGui.QKeySequence("Ctrl+Tab")])
        self.previous_tab_action.setShortcuts([QtGui.QKeySequence("Ctrl+PgUp"), QtGui.QKeySequence("Ctrl+Shift+Tab")])
        for action in (*self.tab_actions, self.next_tab_action, self.previous_tab_action):
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        menu.addSeparator()
        menu.addAction(self.next_tab_action)
        menu.addAction(self.previous_tab_action)
        menu.addSeparator()
        themes = menu.addMenu("&Theme")
        group = QtGui.QActionGroup(self)
        self.theme_actions = {}
        for name in theme.THEMES:
            action = self._action(name, functools.partial(self.set_theme, name), None, f"{name} colours")
            action.setCheckable(True)
            group.addAction(action)
            themes.addAction(action)
            self.theme_actions[name] = action
        QtGui.QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_colours_changed)

    def export_script(self):
        """File ▸ Export ▸ Python Script…: the current network as a standalone NumPy script (core.export)."""
        path = dialogs.save_path(
            self, "Export as a Python Script", self._export_name(".py"), "Python scripts (*.py)", ".py"
        )
        if not path:
            return False
        beside = [
            p for p in (Path(path).with_suffix(".weights.npz"), Path(path).with_suffix(".digits.npz")) if p.exists()
        ]
        if any(not dialogs.ask_replace_file(self, p) for p in beside):
            return False
        written = []

        def write(p):
            written.extend(export.write_script(self.state.network, p, self.state.name, with_digits=True))

        if not dialogs.attempt(self, "Cannot export the network", write, path):
            return False
        settings.remember_folder(Path(path).parent)
        self.statusBar().showMessage(f"Wrote {', '.join(p.name for p in written)}: run python {Path(path).name}", 8000)
        return True

    def _export_name(self, suffix):
        """The file an export suggests: the model's own name (or "network") in the last folder used."""
        stem = Path(self.state.name).stem if self.state.name.endswith(".npz") else "network"
        return str(Path(settings.last_folder()) / f"{stem.replace(' ', '-')}{suffix}")

    def export_onnx(self):
        """File ▸ Export ▸ ONNX…: the network as an ONNX graph (core.onnxfile), or what to install for it."""
        if not onnxfile.available():
            dialogs.show_error(self, "ONNX is not installed", f"{onnxfile.INSTALL}, then export again.")
            return False
        path = dialogs.save_path(self, "Export as ONNX", self._export_name(".onnx"), "ONNX models (*.onnx)", ".onnx")
        if not path or not dialogs.attempt(self, "Cannot export the network", self._write_onnx, path):
            return False
        settings.remember_folder(Path(path).parent)
        self.statusBar().showMessage(f"Wrote {Path(path).name}: input 'pixels' (m, 784), output 'probabilities'", 8000)
        return True

    def _write_onnx(self, path):
        onnxfile.save_onnx(self.state.network, path)

    def _step_tab(self, step):
        self.side_tabs.setCurrentIndex((self.side_tabs.currentIndex() + step) % self.side_tabs.count())

    def set_theme(self, name):
        """Colour the app as ``name`` (System, Light or Dark) says, and remember it."""
        self.theme = name
        self.theme_actions[name].setChecked(True)
        theme.apply(name, self)
        settings.store().setValue("theme", name)

    def _on_system_colours_changed(self):
        if self.theme == "System":
            theme.apply("System", self)

    # ------------------------------------------------------------- settings
    def _restore_settings(self):
        geometry = settings.read_bytes("geometry")
        if geometry is None or not self.restoreGeometry(geometry):  # first start: most of the screen
            screen = self.screen().availableGeometry() if self.screen() else QtCore.QRect(0, 0, 1400, 900)
            self.resize(min(1300, int(screen.width() * 0.9)), min(900, int(screen.height() * 0.9)))
        width = settings.read_float("brushWidth", ink.DEFAULT_WIDTH, ink.MIN_WIDTH, ink.MAX_WIDTH)
        self.brush_slider.setValue(round(width * 10))
        chosen = settings.read_text("theme", theme.DEFAULT)
        self.set_theme(chosen if chosen in theme.THEMES else theme.DEFAULT)
        self._on_brush_changed(self.brush_slider.value())
        self.train_tab.restore_settings()
        data = settings.read_json("trainData")
        if isinstance(data, dict):
            imported = data.get("imported")
            # forgotten until it has loaded: an import that ends this start (a file too big for the
            # machine) is not tried again at every start after it; closing the window remembers it again
            settings.write_json("trainData", {"choice": corpus.DEFAULT, "imported": None})
            try:
                self.data_source.restore(data.get("choice"), tuple(imported) if isinstance(imported, list) else None)
            except (core.DnnguiError, TypeError, ValueError, OSError) as e:
                why = os_message(e) if isinstance(e, OSError) else str(e)  # a 5,000-character path, cut short
                self.statusBar().showMessage(
                    f"The data used last time could not be loaded, and are forgotten: {why}", 10000
                )

    def _save_settings(self):
        store = settings.store()
        store.setValue("geometry", self.saveGeometry())
        self.train_tab.save_settings()
        settings.write_json(
            "trainData", {"choice": self.data_source.choice, "imported": self.data_source.imported_from}
        )
        store.setValue("brushWidth", self.canvas.brush_width)

    # ------------------------------------------------------------ prediction
    def update_prediction(self):
        """Read the drawing again with the network shown, and show the guess everywhere it appears."""
        network = self._training_network or self.step_view.network or self.state.network  # as the Step tab shows
        self.prediction = classify(network, self.drawing.ink)
        self.panel.show_prediction(self.prediction)
        x = None if self.prediction is None else self.prediction.x
        if self.side_tabs.currentWidget() is self.layer_panel:
            self.layer_panel.show_input(x)
        guess = None if self.prediction is None else int(np.argmax(self.prediction.probabilities))
        self.step_view.set_input(x, self.drawing.ink, guess)  # the guess read once, for the panel and the tab
        self._update_saliency(x)

    def _update_saliency(self, x):
        """The Step tab's "Why": −∂J/∂X over the network input, and carried back to the canvas."""
        shown = self.side_tabs.currentWidget() is self.step_view  # the overlay belongs to the Step tab alone
        saliency = self.step_view.saliency(x) if shown else None
        self.panel.preview.set_overlay(saliency)
        self.canvas.set_overlay(None if saliency is None else pull_back(self.drawing.ink, saliency))

    def _on_nudged(self, drawing):
        """A nudged drawing onto the canvas, and look inside."""
        self.canvas.load(drawing)
        self.side_tabs.setCurrentWidget(self.layer_panel)

    def _on_side_tab_changed(self, index):
        if self.side_tabs.widget(index) is self.layer_panel:
            self.layer_panel.set_network(self._training_network or self.state.network)
            self.update_prediction()
        else:
            self._update_saliency(None if self.prediction is None else self.prediction.x)

    def _on_digit_chosen(self, image):
        """A digit picked from the evaluation: onto the canvas (Evaluate stays, as for a pen digit)."""
        self.canvas.load(image)

    def _on_strokes_chosen(self, strokes):
        """A pen digit picked from the evaluation: written on the canvas again, point by point."""
        self.canvas.replay(strokes)
        self.canvas.setFocus()

    def _on_training_snapshot(self, network):
        """Re-classify the drawing with the weights as they are now, mid-training."""
        if self._training_network is None or list(network.classes) != self.panel.classes:
            self.panel.set_classes(network.classes)
        self._training_network = network
        if self.side_tabs.currentWidget() is self.layer_panel:
            self.layer_panel.set_network(network, soon=True)
        self.update_prediction()

    def _on_training_running(self, running):
        if running:
            self.my_digits.stop_check()  # it would slow training down
        else:
            self._training_network = None
            self._on_model_changed()
        for action in (self.import_action, self.import_pen_action, self.bundled_action):
            action.setEnabled(not running)
        self._update_title()  # which also enables the Model menu's actions as fits

    def _on_brush_changed(self, value):
        self.canvas.set_brush_width(value / 10)
        self.brush_label.setText(f"{self.canvas.brush_width:.1f}")

    def _step_brush(self, step):
        self.brush_slider.setValue(self.brush_slider.value() + step)

    # ----------------------------------------------------------------- model
    def _on_model_changed(self):
        network = self.state.network
        if [int(c) for c in network.classes] != self.panel.classes:
            self.panel.set_classes(network.classes)
        self.model_summary.setText(f"{self.state.name}: {shape_of(network)}, {network.n_params:,} parameters")
        self._update_title()
        self.update_prediction()

    def _on_dirty_changed(self, dirty):
        self._update_title()

    def _update_title(self):
        self.setWindowTitle(f"{self.state.name}[*] — dnngui")
        self.setWindowModified(self.state.dirty)
        self.files.update_enabled(self.train_tab.running)

    # --------------------------------------------------------- your digits
    def label_drawing(self, digit):
        """Add the drawing, as the network sees it, to the person's digits as ``digit``."""
        if self.prediction is None:
            self.statusBar().showMessage("Draw a digit first, then say which one it is.", 4000)
            return False
        if not dialogs.attempt(
            self,
            "Cannot add the drawing",
            self.personal_store.add,
            self.prediction.x,
            digit,
            self.drawing.plain_strokes(),
        ):
            return False  # the drawing stays on the canvas
        if self.personal_store.save_error:
            dialogs.show_error(self, "Cannot save your drawings", self.personal_store.save_error)
        count = int((self.personal_store.digits.labels == digit).sum())
        self.statusBar().showMessage(f"Added a {digit} to your digits ({count} of them now).", 4000)
        self.canvas.clear()
        return True

    def fine_tune(self):
        if self.train_tab.fine_tune():
            self.side_tabs.setCurrentWidget(self.train_tab)

    def _show_store_notice(self):
        dialogs.show_error(self, "Your drawings", self.personal_store.notice)

    def import_mnist(self):
        folder = dialogs.open_folder(self, "Import MNIST (a folder of IDX files)", settings.last_folder())
        if not folder:
            return False
        if not dialogs.attempt(self, "Cannot import MNIST", self.data_source.import_folder, folder):
            return False
        settings.remember_folder(folder)
        self.statusBar().showMessage(f"Using {self.data_source.summary}", 6000)
        return True

    def import_pen(self):
        path = dialogs.open_file(
            self, "Import pen-drawn digits", settings.last_folder(), "UNIPEN files (*.unipen *.unipen.gz *.gz)"
        )
        if not path:
            return False
        if not dialogs.attempt(self, "Cannot import pen-drawn digits", self.data_source.import_pen, path):
            return False
        self.statusBar().showMessage(f"Using {self.data_source.summary}", 6000)
        return True

    def _show_about(self):
        dialogs.show_info(self, "About dnngui", guide.about_text(self.state.name, self.state.network.description))

    def _show_how_to(self):
        dialogs.show_info(self, "How to use dnngui", guide.HOW_TO)

    def _show_shortcuts(self):
        dialogs.show_info(self, "Keyboard shortcuts", guide.shortcuts_html(self), rich=True)

    # ------------------------------------------------------------- open, close
    def showEvent(self, event):
        """Once shown, set the objects made so far (modules, widgets, the model: 80,000 of them) aside from
        the garbage collector: a full collection scanning them all took 35–50 ms, a hitch in the pen now
        and then; without them it takes about a millisecond. Closing gives them back."""
        super().showEvent(event)
        if not self._settled:
            self._settled = True
            self._fit_splitter()
            QtCore.QTimer.singleShot(0, gc.freeze)
            QtCore.QTimer.singleShot(0, self._draw_held_out)

    def _draw_held_out(self):
        """Draw the held-out pen writers in a thread while the person looks at the window (0.2 s, which
        the start no longer waits for): Train and Evaluate read them, and would otherwise draw them then."""
        held = self.data_source.corpus.pen_validation
        if held:
            self._drawing_held_out = threading.Thread(target=lambda: [v.images for v in held], name="held-out writers")
            self._drawing_held_out.start()

    def closeEvent(self, event):
        """Close between two batches, never in the middle of one: a running job is asked to stop
        (training only once the person agrees), and the window closes when it has, however long
        its batch takes; then unsaved weights are offered for saving."""
        if self.train_tab.running and not self._closing and not dialogs.ask_stop_training(self):
            event.ignore()  # Cancel: training goes on
            return
        views = (self.math_view, self.my_digits, self.evaluation_view, self.health_view, self.step_view)
        jobs = [job for job in (self.train_tab.job, *(view.job for view in views)) if job is not None]
        if jobs:
            self._closing = True
            self.train_tab.stop()
            for view in views:
                view.shutdown(0)
            for job in jobs:
                job.finished.connect(self._close_when_idle, QtCore.Qt.ConnectionType.QueuedConnection)
            self.statusBar().showMessage("Finishing the current batch, then closing…")
            event.ignore()
            return
        self._closing = False
        if not self.files.confirm_discard():
            event.ignore()
            return
        if self.personal_store.unsaved and not dialogs.ask_lose_drawings(self, self.personal_store.save_error):
            event.ignore()  # the drawings stay, and the person can export them
            return
        self._save_settings()
        event.accept()
        if self._drawing_held_out is not None:
            self._drawing_held_out.join()
        gc.unfreeze()  # what the window held can be collected again

    def _close_when_idle(self):
        views = (self.train_tab, self.math_view, self.my_digits, self.evaluation_view, self.health_view, self.step_view)
        if self._closing and all(view.job is None for view in views):
            self.close()


def run(argv):
    """Open the app; returns its exit status."""
    QtCore.QCoreApplication.setOrganizationName("dnngui")
    QtCore.QCoreApplication.setApplicationName("dnngui")
    QtGui.QGuiApplication.setDesktopFileName("dnngui")  # matches the launcher of `dnngui install-desktop`
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0], *argv])
    app.setWindowIcon(QtGui.QIcon(str(desktop.icon_path())))
    try:
        window = MainWindow()
    except core.DnnguiError as e:
        dialogs.show_error(None, "dnngui cannot start", str(e))
        return 2
    window.show()
    return app.exec()
