"""The app says in one line when it cannot open a window, instead of Qt aborting."""

import subprocess
import sys

from dnngui.noqt.display import XCB_LIBRARIES, display_problem


def test_no_display_points_to_the_headless_commands():
    problem = display_problem(environ={}, platform="linux")
    assert "DISPLAY is not set" in problem and "dnngui train" in problem


def test_missing_x11_libraries_are_named_with_their_packages():
    problem = display_problem({"DISPLAY": ":0"}, "linux", lambda lib: None if lib == "xcb-cursor" else lib)
    assert problem.endswith("sudo apt install libxcb-cursor0")


def test_nothing_to_say_when_all_is_there_or_not_x11():
    assert display_problem({"DISPLAY": ":0"}, "linux", lambda lib: lib) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "darwin") is None
    assert set(XCB_LIBRARIES.values()) >= {"libxcb-cursor0", "libxkbcommon-x11-0"}


def test_the_command_exits_2_with_one_line_without_a_display():
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    result = subprocess.run([sys.executable, "-m", "dnngui"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("dnngui: there is no display")
