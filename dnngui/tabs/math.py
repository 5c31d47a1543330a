"""The math with this network's shapes, and a gradient check of its backprop."""

import functools

import numpy as np
from PySide6 import QtCore, QtWidgets

from dnngui import core
from dnngui.core.errors import ModelError
from dnngui.core.gradcheck import check_computable, samples_for
from dnngui.core.tasks import network_arrays
from dnngui.jobs.job import Background, WorksInTheBackground
from dnngui.noqt import equations
from dnngui.widgets import dialogs

ARTICLE = "The equations follow Kiana Jafari, “Understanding the Math behind Deep Neural Networks” (2024)"
GRADCHECK_SAMPLES = 32
GRADCHECK_PASS = 1e-6  # the largest relative error that counts as agreement (float64)
GRADCHECK_ENTRIES = 30


def gradcheck_work(network, X, Y, control):
    """The gradient check as background work: returns {name: relative error}."""
    return core.gradient_check(network, X, Y, max_entries=GRADCHECK_ENTRIES, should_stop=lambda: control.stop_requested)


def _html_rows(lines):
    return "".join(f"<tr><td><b>{eq}</b></td><td>&nbsp;:&nbsp;</td><td>{shape}</td></tr>" for eq, shape in lines)


class MathView(WorksInTheBackground, QtWidgets.QWidget):
    """``mathView``: forward and backward equations for the current network, its shapes
    filled in (m = 1 for the drawing, m = the batch size for training), and "Check gradients"."""

    def __init__(self, state, data_source, batch_size=128, parent=None):
        super().__init__(parent)
        self.setObjectName("mathView")
        self.network = state.network
        self.data_source = data_source
        self.batch_size = batch_size
        self.errors = {}
        self.planned = None
        self.text = QtWidgets.QTextBrowser()
        self.text.setObjectName("mathText")
        self.check_button = QtWidgets.QPushButton("Check gradients")
        self._background = Background(self, self.check_button)  # the gradient check runs there
        self.check_button.setObjectName("gradcheckButton")
        self.check_button.setToolTip(
            "Compare backprop's dW and db with finite differences (J(θ+ε) − J(θ−ε)) / 2ε, in float64,\n"
            f"on {GRADCHECK_SAMPLES} validation digits and {GRADCHECK_ENTRIES} entries of each array"
        )
        self.check_button.clicked.connect(self.check_gradients)
        self.results = QtWidgets.QTableWidget(0, 4)
        self.results.setObjectName("gradcheckTable")
        self.results.setHorizontalHeaderLabels(["array", "shape", "relative error", "verdict"])
        self.results.verticalHeader().hide()
        self.results.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Room for every header in full: the columns take their contents' width, never less than their title's.
        self.results.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the columns fit
        room = self.results.verticalScrollBar().sizeHint().width()
        self.results.setMinimumWidth(
            sum(header.sectionSizeHint(c) for c in range(4)) + 2 * self.results.frameWidth() + room
        )
        self.status = dialogs.plain_label()
        self.status.setWordWrap(True)
        side = QtWidgets.QVBoxLayout()
        side.addWidget(self.check_button)
        side.addWidget(self.results, 1)
        side.addWidget(self.status)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(self.text, 3)
        layout.addLayout(side, 2)
        state.changed.connect(lambda: self.set_network(state.network))
        self._update_text()

    def set_network(self, network):
        self.network = network
        self._update_text()

    def set_planned(self, sizes):
        """The network the Train tab's settings would make (None: the same as the model in use)."""
        self.planned = None if sizes is None or tuple(sizes) == tuple(self.network.sizes) else tuple(sizes)
        self._update_text()

    def set_batch_size(self, m):
        self.batch_size = m
        self._update_text()

    def _update_text(self):
        net = self.network
        m = self.batch_size
        forward = equations.forward_lines(net.sizes, net.activation_names, net.output.name, m=1)
        backward = equations.backward_lines(net.sizes, m)
        cost = equations.cost_line(net.sizes, net.output.name, m)
        planned = ""
        if self.planned is not None:
            planned = (
                f"<p><i>These are the shapes of the model in use, {'-'.join(map(str, net.sizes))}. The Train tab's "
                f"settings will train a {'-'.join(map(str, self.planned))} network: its equations show here once "
                "it is trained.</i></p>"
            )
        self.text.setHtml(
            planned + f"<h3>Forward propagation, for your drawing (m = 1)</h3>"
            f"<p>X is the 784 pixels of the network input, one column.</p><table>{_html_rows(forward)}</table>"
            f"<h3>Cost, for a training batch of m = {m}</h3><table>{_html_rows([cost])}</table>"
            f"<h3>Backpropagation (m = {m})</h3><table>{_html_rows(backward)}</table>"
            "<p>f′ is the derivative of the layer's activation. dZ for the output is A − Y because each output "
            "is paired with its own cost (sigmoid with binary cross-entropy, softmax with categorical).</p>"
            f"<p><small>{ARTICLE}; dnngui's README lists the errata to its pseudo-code.</small></p>"
        )

    # ------------------------------------------------------------ gradients
    def check_gradients(self):
        if self.job is not None:
            return
        network = self.network.copy()
        X, Y = network_arrays(network, self.data_source.validation, limit=samples_for(network, GRADCHECK_SAMPLES))
        if X.shape[1] == 0:
            self.status.setText("The validation digits have none of this model's classes to check it on.")
            return
        try:
            check_computable(network, X, Y)
        except ModelError as e:
            self.status.setText(f"{str(e)[0].upper()}{str(e)[1:]}.")
            return
        self._background.start(
            functools.partial(gradcheck_work, network, X, Y),
            self._on_checked,
            lambda message: self.status.setText(f"Gradient check failed: {message}"),
        )
        self.status.setText("Checking gradients…")

    def _on_checked(self, errors):
        self.errors = errors
        self.results.setRowCount(len(errors))
        for r, (name, error) in enumerate(errors.items()):
            shape = self.network.params[name].shape if name in self.network.params else ""
            verdict = "pass" if error < GRADCHECK_PASS else "FAIL"
            for c, text in enumerate((name, str(shape), f"{error:.2e}", verdict)):
                self.results.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        worst = max(errors.values(), default=np.nan)
        if worst < GRADCHECK_PASS:
            verdict = f"PASS: backprop agrees with finite differences (every array below {GRADCHECK_PASS:.0e})"
        else:
            verdict = f"FAIL: some gradients disagree with finite differences (above {GRADCHECK_PASS:.0e})"
        self.status.setText(f"{verdict}. Largest relative error {worst:.1e}.")
