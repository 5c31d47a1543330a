"""The Train tab: settings, Train / Pause / Stop, a progress bar and the live cost plot."""

import contextlib
import dataclasses
import functools
import time

import numpy as np
from PySide6 import QtCore, QtWidgets

from dnngui.core import personal, runs
from dnngui.core.errors import HyperParameterError
from dnngui.core.evaluation import predict_digits
from dnngui.core.experiments import EXPERIMENTS
from dnngui.core.recipe import (
    FINE_TUNE_BATCH,
    FINE_TUNE_EPOCHS,
    FINE_TUNE_KEEP,
    FINE_TUNE_LR,
    FineTune,
    Plan,
    Recipe,
    check_start,
    fine_tune,
)
from dnngui.core.shapes import PIXELS
from dnngui.core.tasks import TASKS, task_of
from dnngui.core.trainer import no_better_than_guessing
from dnngui.jobs import training
from dnngui.jobs.job import Job
from dnngui.jobs.training import prepare
from dnngui.noqt.history import CostHistory
from dnngui.state import settings
from dnngui.tabs.train.form import APP_DEFAULTS, TrainingForm
from dnngui.tabs.train.loss_plot import LossPlot
from dnngui.tabs.train.runs import RunsPanel
from dnngui.widgets import dialogs


def validation_accuracy(network, data_source):
    """The share of the validation digits (every set) that ``network`` reads right, as the Train tab's
    validation accuracy counts them; None if they hold none of its classes."""
    right = total = 0
    for digits in data_source.corpus.validation:
        true_idx, predicted, _ = predict_digits(network, digits)
        right += int(np.count_nonzero(true_idx == predicted))
        total += len(true_idx)
    return right / total if total else None


DEFAULTS = "defaults"  # the experiment menu's last entry: the Train tab's own settings again


class RunClock:
    """Seconds a run has trained: paused time does not count (nor in its ETA, nor its duration)."""

    def __init__(self):
        self.started = time.monotonic()
        self.paused_for = 0.0
        self.paused_at = None

    def pause(self):
        if self.paused_at is None:
            self.paused_at = time.monotonic()

    def resume(self):
        if self.paused_at is not None:
            self.paused_for += time.monotonic() - self.paused_at
            self.paused_at = None

    def seconds(self):
        now = time.monotonic()
        paused = self.paused_for + (now - self.paused_at if self.paused_at is not None else 0.0)
        return now - self.started - paused


class TrainTab(QtWidgets.QWidget):
    """Trains in a background job; the trained weights become the current model when it ends.

    ``snapshot(network)`` fires every few hundred milliseconds during training
    with a UI-side network holding the latest weights, for re-classifying the
    drawing; ``running_changed(bool)`` when training starts or ends.
    """

    snapshot = QtCore.Signal(object)
    running_changed = QtCore.Signal(bool)
    planned_changed = QtCore.Signal(object)  # the layer sizes the settings would train, or None
    batch_size_changed = QtCore.Signal(int)
    run_started = QtCore.Signal(int, bool, float)  # the network's depth, whether it continues, its last epoch
    progressed = QtCore.Signal(object)  # every Progress of a run, after the plots have taken it
    run_kept = QtCore.Signal(object)  # the network a run made, just made the model
    fine_tuned = QtCore.Signal(object)  # a FineTune: what a finished fine-tune started from and made

    def __init__(self, state, data_source, personal_store, run_store, parent=None):
        super().__init__(parent)
        self.state = state
        self.data_source = data_source
        self.personal_store = personal_store
        self.run_store = run_store
        self._record = None  # the core.runs.Run of the training run under way (None while fine-tuning)
        self.history = CostHistory()
        self.job = None
        self._plan = None  # the network a run trains (core.recipe.Plan), known before its weights are made
        self._lr = None  # the learning rate the running (or last) run was set to
        self._preview = None
        self._snapshot_seen = False
        self._clock = RunClock()
        self._total_steps = 0
        self._done_steps = 0
        self._mine = None  # while fine-tuning: a FineTune without its result
        self._description = ""  # how the model being trained is made: the dnngui train command
        self._produced = None  # the network the last run made the model, while it is the model
        self._build_settings()
        self._build_data_choice()
        self._build_run_controls()
        self.plot = LossPlot(self.history)
        self.runs = RunsPanel(run_store)
        self._build_layout()
        self._connect()
        self._update_batch_limit()
        self._update_data_label()
        self._update_buttons()

    def _build_settings(self):
        self.form = TrainingForm()
        self.experiment = QtWidgets.QComboBox()
        self.experiment.setObjectName("experimentChoice")
        self.experiment.addItem("Classic experiments…", None)
        for name, experiment in EXPERIMENTS.items():
            self.experiment.addItem(experiment.title, name)
        self.experiment.insertSeparator(self.experiment.count())
        self.experiment.addItem("Back to the Train tab's defaults", DEFAULTS)
        self.experiment.setToolTip(
            "Settings that show a classic behaviour of backprop, one click each; the Health tab shows what happens"
        )
        self.experiment.activated.connect(self._on_experiment_chosen)
        self.article_button = QtWidgets.QPushButton("Use the article's settings")
        self.article_button.setObjectName("articleSettings")
        self.article_button.setToolTip(EXPERIMENTS["article"].watch)
        self.article_button.clicked.connect(lambda: self.use_experiment("article"))
        self.article_button.hide()

    def _build_data_choice(self):
        self.data_choice = QtWidgets.QComboBox()
        self.data_choice.setObjectName("dataChoice")
        self.data_choice.setToolTip(
            "What to learn from: scanned MNIST digits, digits written with a pen (drawn afresh with random pens, "
            "as a person draws on the canvas), both, or a set you imported. Pen-drawn digits teach the network "
            "the styles people draw that MNIST lacks."
        )
        self.data_choice.activated.connect(self._on_data_chosen)
        self.data_label = dialogs.plain_label()
        self.data_label.setObjectName("dataLabel")
        self.data_label.setWordWrap(True)
        self.include_mine = QtWidgets.QCheckBox()
        self.include_mine.setObjectName("includeMine")
        self.include_mine.setChecked(True)
        self.include_mine.setToolTip("Mix your labelled drawings into the training digits, repeated so they count")
        self.include_mine.toggled.connect(self._update_data_label)

    def _build_run_controls(self):
        self.train_button = QtWidgets.QPushButton("Train")
        self.train_button.setObjectName("trainButton")
        self.train_button.setToolTip(
            "Train with these settings (Ctrl+T). When the run ends, its weights replace the current model; "
            "Model ▸ Revert to Model Before Training brings the old one back."
        )
        self.train_button.setShortcut("Ctrl+T")
        self.pause_button = QtWidgets.QPushButton("Pause")
        self.pause_button.setObjectName("pauseButton")
        self.pause_button.setToolTip("Pause or resume training")
        self.stop_button = QtWidgets.QPushButton("Stop")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip("Stop after the current batch and keep the weights so far")
        self.progress = QtWidgets.QProgressBar()
        self.progress.setObjectName("trainProgress")
        self.progress.setFormat("ready")
        self.progress.setValue(0)
        self.message = dialogs.plain_label()
        self.message.setObjectName("trainMessage")
        self.message.setWordWrap(True)

    def _build_layout(self):
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.stop_button)
        settings_box = QtWidgets.QVBoxLayout()
        settings_box.addWidget(self.experiment)
        settings_box.addWidget(self.form)
        settings_box.addWidget(self.article_button)
        data_row = QtWidgets.QHBoxLayout()
        data_row.addWidget(QtWidgets.QLabel("Data"))
        data_row.addWidget(self.data_choice, 1)
        settings_box.addLayout(data_row)
        settings_box.addWidget(self.data_label)
        settings_box.addWidget(self.include_mine)
        settings_box.addLayout(buttons)
        settings_box.addWidget(self.progress)
        settings_box.addWidget(self.message)
        settings_box.addStretch()
        settings_box.addWidget(self.runs)
        settings_widget = QtWidgets.QWidget()
        settings_widget.setLayout(settings_box)
        settings_widget.setMaximumWidth(420)
        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(settings_widget)
        layout.addWidget(self.plot, 1)

    def _connect(self):
        self.runs.shown_changed.connect(self.plot.show_runs)
        self.train_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.stop_button.clicked.connect(self.stop)
        self.form.validity_changed.connect(self._update_buttons)
        self.state.changed.connect(self._on_model_changed)
        self.data_source.changed.connect(self._update_data_label)
        self.personal_store.changed.connect(self._update_data_label)
        self.data_source.changed.connect(self._update_batch_limit)
        self.form.task.currentIndexChanged.connect(self._update_batch_limit)
        self.form.batch.valueChanged.connect(self.batch_size_changed)
        self.form.hidden.textChanged.connect(self._on_plan_changed)
        self.form.task.currentIndexChanged.connect(self._on_plan_changed)
        self.form.task.activated.connect(self._on_task_chosen)
        self.form.continue_.toggled.connect(self._on_plan_changed)

    # ------------------------------------------------------------- controls
    @property
    def batch_size(self):
        return self.form.batch.value()

    @property
    def running(self):
        return self.job is not None

    def _update_buttons(self, *args):
        self.train_button.setEnabled(not self.running and self.form.is_valid)
        self.pause_button.setEnabled(self.running)
        self.stop_button.setEnabled(self.running)
        self.form.setEnabled(not self.running)
        self.data_choice.setEnabled(not self.running)

    def _on_plan_changed(self, *args):
        try:
            recipe = self.form.recipe()
        except HyperParameterError:
            self.planned_changed.emit(None)
            return
        if self.form.continuing:
            self.planned_changed.emit(None)
        else:
            self.planned_changed.emit((PIXELS, *recipe.hidden, TASKS[recipe.task].output_units))

    def _on_model_changed(self):
        """Another model than the last run's (opened, reverted, stepped): its "Finished …" is stale."""
        if self._produced is not None and self.state.network is not self._produced and not self.running:
            self._produced = None
            self._show_message(f"The model in use now: {self.state.name}.")
            self.progress.setValue(0)
            self.progress.setFormat("ready")

    def _on_experiment_chosen(self, index):
        name = self.experiment.itemData(index)
        self.experiment.setCurrentIndex(0)  # a menu of settings, not a setting itself
        if name == DEFAULTS:
            self.form.set_recipe(APP_DEFAULTS)
            self.data_source.use(APP_DEFAULTS.data)
            self._show_message("The Train tab's default settings, on the default data, are back.")
        elif name is not None:
            self.use_experiment(name)

    def use_experiment(self, name):
        """Fill in the settings (and data) of a classic experiment, and say what to watch."""
        experiment = EXPERIMENTS[name]
        self.form.set_recipe(experiment.recipe)
        switched = experiment.recipe.data != self.data_source.choice
        self.data_source.use(experiment.recipe.data)
        self.article_button.hide()
        data = f" The data are now {self.data_source.corpus.name}." if switched else ""
        self._show_message(f"{experiment.title}: press Train. {experiment.watch}{data}")

    def _on_task_chosen(self, index):
        """Choosing the article's task offers the article's settings too."""
        self.article_button.setVisible(self.form.task.itemData(index) == EXPERIMENTS["article"].recipe.task)

    def _on_data_chosen(self, index):
        self.data_source.use(self.data_choice.itemData(index))

    def _update_data_label(self, *args):
        self.data_choice.blockSignals(True)
        self.data_choice.clear()
        for choice, title in self.data_source.choices:
            self.data_choice.addItem(title, choice)
        self.data_choice.setCurrentIndex(self.data_choice.findData(self.data_source.choice))
        self.data_choice.blockSignals(False)
        self.data_label.setText(self.data_source.summary)
        n = len(self.personal_store)
        self.include_mine.setText(f"include my {n} drawings" if n else "include my drawings (none yet)")
        self.include_mine.setEnabled(n > 0)

    def _update_batch_limit(self, *args):
        """A batch can hold at most every training digit of the task."""
        self.form.batch.setMaximum(max(1, self.data_source.count(TASKS[self.form.task.currentData()])))

    def _training_corpus(self):
        corpus = self.data_source.corpus
        if self.include_mine.isChecked() and len(self.personal_store):
            images = corpus.images if corpus.images is not None else personal.empty()
            corpus = dataclasses.replace(corpus, images=personal.mix(images, self.personal_store.digits))
        return corpus

    def _recipe(self):
        recipe = self.form.recipe()
        if not self.form.continuing:
            return recipe, None
        network = self.state.network
        recipe = dataclasses.replace(
            recipe, task=task_of(network), hidden=network.sizes[1:-1], activations=tuple(network.activation_names)
        )
        return recipe, network.copy()

    def start(self):
        """Start training with the form's settings; a bad setting is shown, nothing runs."""
        if self.running:
            return False
        try:
            recipe, start_network = self._recipe()
            recipe.check()
        except HyperParameterError as e:
            self._show_message(str(e), error=True)
            return False
        source = self.data_source  # the model's description names the data as `dnngui train --data` takes them
        recipe = dataclasses.replace(
            recipe, data=source.imported_from[1] if source.choice == "imported" else source.choice
        )
        corpus = self._training_corpus()
        self._record = runs.begin(recipe.as_dict())
        self._lr = recipe.lr  # the rate this run was set to, for its advice
        self._description = recipe.command()
        if start_network is not None and start_network.description:
            self._description = f"{start_network.description} then {self._description} (continued)"
        return self._run(
            functools.partial(prepare, recipe, corpus, start_network),
            recipe.epochs,
            start_network is not None,
            "Training…",
            plan=functools.partial(check_start, recipe, corpus, start_network),
        )

    def fine_tune(self):
        """A few quick epochs from the current weights, on the person's drawings mixed with MNIST."""
        if self.running or not len(self.personal_store):
            return False
        mine, base = self.personal_store.digits, self.data_source.corpus
        self._mine = FineTune(self.state.network, None, mine, base)
        self._record = None
        self._lr = FINE_TUNE_LR
        seed = self.form.seed.value()
        message = (
            f"Fine-tuning the output layer on your {len(mine)} drawings mixed with MNIST digits: Adam, "
            f"α = {FINE_TUNE_LR:g}, batches of {FINE_TUNE_BATCH}, {FINE_TUNE_EPOCHS} epochs, seed {seed}; "
            f"at the end it keeps {FINE_TUNE_KEEP:.0%} of the output layer it started from. "
            "The form's other settings are Train's, not this run's."
        )
        self._description = f"{self.state.network.description} then fine-tuned on {len(mine)} of your drawings"
        run = functools.partial(fine_tune, self.state.network, mine, base, seed)
        # a run of its own, from the current model: its curves start afresh, not after the last run's
        return self._run(run, FINE_TUNE_EPOCHS, False, message)

    def _run(self, make_run, epochs, continuing, message, plan=None):
        """Start the run ``make_run()`` sets up (network, generator); a HyperParameterError is shown.

        A bad setting is said at once: ``plan()`` checks the run without making its network or data
        (core.recipe.check_start) where it is given, else ``make_run`` is called here first; the run
        itself goes to a child process (``training.IN_CHILD_PROCESS``), which calls ``make_run``."""
        network = run = None
        try:
            if plan is not None and training.IN_CHILD_PROCESS:
                self._plan = plan()
            else:
                network, run = make_run()
                self._plan = Plan.of(network)
        except HyperParameterError as e:
            self._show_message(str(e), error=True)
            return False
        if not continuing:
            self.history.clear()
        else:
            self.history.continue_after()
        sets = [v.name for v in self.data_source.corpus.validation]  # a fine-tune reports the same ones
        self.plot.start_run(0, self.history.epoch_offset + epochs, sets)
        self.run_started.emit(self._plan.depth, continuing, float(self.history.epoch_offset + epochs))
        self._preview = None  # the run's weights as the last snapshot brought them, from the first one on
        self._snapshot_seen = False
        if training.IN_CHILD_PROCESS:
            if run is not None:
                run.close()  # never started: the child makes its own
            self.job = Job(functools.partial(training.process_work, make_run), self)
        else:
            self.job = Job(functools.partial(training.training_work, network, run), self)
        self.job.yielded.connect(self._on_progress)
        self.job.returned.connect(self._on_finished)
        self.job.errored.connect(self._on_errored)
        self.job.finished.connect(self._on_ended)
        self._clock = RunClock()
        self._done_steps = 0
        self._total_steps = 0
        self.progress.setValue(0)
        self.progress.setFormat("starting…")
        self._show_message(message)
        self.pause_button.setText("Pause")
        self.job.start()
        self._update_buttons()
        self.running_changed.emit(True)
        return True

    def _on_pause_clicked(self):
        if self.job is None:
            return
        if self.job.control.paused:
            self._clock.resume()
            self.job.resume()
            self.pause_button.setText("Pause")
            self._show_message("Training…")
        else:
            self.job.pause()
            self._clock.pause()
            self.pause_button.setText("Resume")
            self._show_message("Paused: Resume to go on, Stop to keep the weights so far.")

    def stop(self):
        if self.job is not None:
            self.job.stop()
            self._show_message("Stopping after this batch…")

    def restore_settings(self):
        """The settings of the last session, if they still make a valid recipe; if not, the defaults, and
        the Train tab says so once."""
        if not settings.store().contains("trainRecipe"):
            return
        try:
            recipe = Recipe.from_dict(settings.read_json("trainRecipe"))
        except HyperParameterError as e:
            self._show_message(f"The training settings of last time could not be used ({e}); the defaults are back.")
            return
        self.form.set_recipe(recipe)

    def save_settings(self):
        """Remember the settings for the next session (half-typed ones are not worth remembering)."""
        with contextlib.suppress(HyperParameterError):
            settings.write_json("trainRecipe", self.form.recipe().as_dict())

    def shutdown(self, ms=3000):
        """Stop training and wait for its thread (closing the window)."""
        if self.job is not None:
            self.job.stop_and_wait(ms)

    # ------------------------------------------------------------- progress
    def _on_progress(self, progress):
        self.history.add_batches(progress.batches, progress.steps)
        self.history.add_epochs(progress.epochs)
        if self._record is not None:
            for record in progress.epochs:
                self._record.add_epoch(record)
        if progress.batches or progress.epochs:  # a snapshot travels alone: the plots have not changed
            self.plot.refresh()
            self.progressed.emit(progress)
        if progress.batches:
            last = progress.batches[-1]
            self._done_steps = (last.epoch - 1) * last.steps + last.step
            self._total_steps = last.epochs * last.steps
            self._update_progress(last)
        if progress.params is not None:
            if self._preview is None:
                self._preview = self._plan.holding(progress.params)
            else:
                self._preview.set_params(progress.params)
            self._snapshot_seen = True
            self.snapshot.emit(self._preview)

    def _update_progress(self, last):
        fraction = self._done_steps / self._total_steps
        elapsed = self._clock.seconds()
        left = elapsed / fraction * (1 - fraction) if fraction > 0 else 0
        self.progress.setValue(round(fraction * 100))
        self.progress.setFormat(
            f"epoch {last.epoch}/{last.epochs} · step {last.step}/{last.steps} · "
            f"{int(left) // 60}:{int(left) % 60:02d} left"
        )

    def _keep_record(self, outcome):
        """Keep the run's record (settings, curves, how it ended) with the others."""
        record, self._record = self._record, None
        if record is None:
            return
        record.outcome = outcome
        record.seconds = self._clock.seconds()
        self.run_store.add(record)

    def _on_finished(self, outcome):
        self._keep_record("diverged" if outcome.error else "finished" if outcome.completed else "stopped")
        fine_tuning, self._mine = self._mine, None
        accuracies = self.history.val_accuracy.values
        accuracy = ""
        if len(accuracies) and np.isfinite(accuracies[-1]):
            accuracy = f" Validation accuracy {accuracies[-1]:.1%}."
        chance = 1 / len(outcome.network.classes)
        if outcome.completed and len(accuracies) and no_better_than_guessing(accuracies[-1], chance):
            self._show_message(
                f"Training failed to learn: validation accuracy {accuracies[-1]:.1%} is no better than guessing "
                f"({chance:.0%}). The model is unchanged. If the cost stayed flat, the Health tab shows whether "
                f"the gradients vanished before reaching the first layers; if it grew, lower the learning rate "
                f"(try {self._lr / 10:g}).",
                error=True,
            )
            self.progress.setFormat("failed to learn")
            return
        if outcome.error:  # diverged: its weights are no use, and the model stays as it was before the run
            self._show_message(f"Training diverged and was stopped: {outcome.error}. The model is unchanged.", True)
            self.progress.setFormat("diverged")
            return
        outcome.network.description = self._description
        replaced, replaced_accuracy = self.state.name, validation_accuracy(self.state.network, self.data_source)
        self._produced = outcome.network
        self.state.replace(outcome.network)
        self.run_kept.emit(outcome.network)
        if fine_tuning is not None:
            done = dataclasses.replace(fine_tuning, after=outcome.network)
            before, after = personal.read_right(done.before, done.mine), personal.read_right(done.after, done.mine)
            accuracy += (
                f" Your drawings: {before:.0%} read right before, {after:.0%} after; My digits shows how well it "
                "reads drawings it did not learn from."
            )
            self.fine_tuned.emit(done)
        if replaced_accuracy is not None and accuracy:
            accuracy += f" The {replaced} it replaces read {replaced_accuracy:.1%} of the same digits."
        back = "Model ▸ Revert to Model Before Training brings it back; Model ▸ Save keeps the new weights."
        if outcome.completed:
            self._show_message(f"Finished.{accuracy} The trained weights are now the model. {back}")
        else:
            self._show_message(f"Stopped.{accuracy} The weights so far are now the model. {back}")
        self.progress.setFormat("done" if outcome.completed else "stopped")
        if outcome.completed:
            self.progress.setValue(100)

    def _on_errored(self, message):
        self._keep_record("failed")
        finite = self._snapshot_seen and all(np.isfinite(p).all() for p in self._preview.params.values())
        if finite:  # the last snapshot was taken between two batches, whole: keep it
            self.state.replace(self._preview.copy())
            self.run_kept.emit(self.state.network)
            kept = "The weights of the last good snapshot are now the model."
        else:
            kept = "The model is unchanged."
        self._show_message(f"Training failed: {message}. {kept}", error=True)
        self.progress.setFormat("failed")

    def _on_ended(self):
        self.job.deleteLater()
        self.job = None
        self._update_buttons()
        self.running_changed.emit(False)

    def _show_message(self, text, error=False):
        self.message.setStyleSheet("color: #c0392b;" if error else "")
        self.message.setText(text)
