"""A proper desktop app: icon, launcher, help, version, remembered settings, tooltips that teach."""

import shutil
import subprocess
import sys

import pytest

from dnngui.core.recipe import Recipe
from dnngui.window.main_window import MainWindow
from tests.support.commands import run


def test_version_and_help_say_the_defaults(capsys):
    from dnngui.__main__ import main as entry

    with pytest.raises(SystemExit) as done:
        entry(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == "dnngui 0.1.0"
    result = subprocess.run([sys.executable, "-m", "dnngui", "train", "--help"], capture_output=True, text=True)
    text = " ".join(result.stdout.split())  # argparse wraps to the terminal's width
    assert "(default: 140)" in text and "(default: mnist+pen)" in text
    assert "10-epoch recipe" in text  # why the Train tab starts smaller


def test_install_desktop_writes_a_valid_launcher_and_the_icon(tmp_path):
    status, _out, err = run("install-desktop", "--folder", str(tmp_path))
    assert status == 0, err
    entry = tmp_path / "applications" / "dnngui.desktop"
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "dnngui.svg"
    assert entry.exists() and icon.read_text().startswith("<svg")
    text = entry.read_text()
    assert "Exec=" in text and "-m dnngui" in text and "Icon=dnngui" in text
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_window_has_an_icon_and_a_help_menu(window, dialogs):
    assert not window.windowIcon().isNull()
    window.shortcuts_action.trigger()
    shortcuts = dialogs.infos[-1]
    for keys in ("Ctrl+T", "Ctrl+Z", "Ctrl+S", "F1", "Delete"):
        assert keys in shortcuts
    window.how_to_action.trigger()
    assert "Draw a digit" in dialogs.infos[-1]
    window.about_action.trigger()
    about = dialogs.infos[-1]
    assert "0.1.0" in about and "CC BY-SA 3.0" in about and "CC BY 4.0" in about and "Alpaydin" in about
    assert "UNIPEN" in about and "zenodo.1195803" in about


def test_every_training_setting_says_what_it_does_to_learning(window):
    form = window.train_tab.form
    for widget in (
        form.task,
        form.hidden,
        form.optimizer,
        form.lr,
        form.batch,
        form.epochs,
        form.augment,
        form.seed,
        *form.activations,
        window.train_tab.data_choice,
    ):
        tip = widget.toolTip()
        assert len(tip) > 60 and tip.rstrip().endswith((".", ")")), tip


def test_train_settings_and_the_imported_data_are_remembered(qtbot, window, dialogs, tmp_path):
    import numpy as np

    from dnngui.core import pendigits
    from tests.support.unipen_text import unipen_text

    form = window.train_tab.form
    form.hidden.setText("64, 32")
    form.epochs.setValue(7)
    form.lr.setText("0.002")
    pen = pendigits.bundled()
    (tmp_path / "mine.unipen").write_text(unipen_text(pen.subset(np.isin(pen.writers, [1, 2, 3, 4, 5]))))
    dialogs.open_path = str(tmp_path / "mine.unipen")
    assert window.import_pen()
    window.close()
    again = MainWindow()
    qtbot.addWidget(again)
    recipe = again.train_tab.form.recipe()
    assert recipe.hidden == (64, 32) and recipe.epochs == 7 and recipe.lr == 0.002
    assert again.data_source.choice == "imported" and again.data_source.corpus.name == "mine.unipen"
    assert recipe != Recipe()
