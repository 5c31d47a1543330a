"""The wheel installs one top-level package, dnngui, with the engine as dnngui.core and its files beside it."""

import subprocess
import sys
import zipfile

import pytest

from tests.test_layers import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("dnngui-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheels_only_top_level_package_is_dnngui(wheel):
    names = wheel.namelist()
    (top_level,) = [n for n in names if n.endswith("top_level.txt")]
    assert wheel.read(top_level).decode().split() == ["dnngui"]
    assert {n.split("/")[0] for n in names if not n.startswith("dnngui-")} == {"dnngui"}
    for bundled in ("unipen1a.npz", "pendigits.npz", "mnist_train_10k.npz", "models/digits.npz", "DATASET.md"):
        assert f"dnngui/core/assets/{bundled}" in names
    assert "dnngui/core/network.py" in names


def test_dnngui_starts_from_a_folder_holding_a_core_package_of_its_own(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "__init__.py").write_text("raise ImportError('a Django app called core')\n")
    result = subprocess.run(
        [sys.executable, "-m", "dnngui", "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "0.1.0" in result.stdout


def test_the_user_guide_has_the_apps_how_to_use_word_for_word():
    """Help ▸ How to Use and docs/user-guide.md cannot drift: the guide holds the Help's steps as they are."""
    from dnngui.window import guide

    text = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    brief = text.split("\n## In brief\n", 1)[1].split("\n## ", 1)[0]
    paragraphs = brief.strip().split("\n\n")[1:]  # after the line that says where they come from
    assert paragraphs == guide.HOW_TO.split("\n\n")
