"""From ``dnngui`` to a shown window: how long a person waits (issue 15: ≤ 1.0 s).

Run by hand (tests/test_benchmarks.py runs it at a tiny size only, to keep it working):
    python tests/bench/bench_startup.py [--runs 7]

Each run starts a fresh Python process that does what the ``dnngui`` command
does, in a temporary profile, and reports when the window has been shown and
the event loop has painted it; the time counts from just before the process
is started. Prints each run and the median. Offscreen unless DISPLAY is set.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys, time
from dnngui.window import main_window
from PySide6 import QtCore

shown = main_window.MainWindow.show

def show(self):
    shown(self)
    QtCore.QTimer.singleShot(0, lambda: (print(time.time(), flush=True), QtCore.QCoreApplication.quit()))

main_window.MainWindow.show = show
from dnngui.__main__ import main
sys.exit(main([]))
"""


def one_run():
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    with tempfile.TemporaryDirectory() as home:
        env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = home  # a first start: no remembered settings
        started = time.time()
        out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1]) - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    one_run()  # the first run fills the file cache: not what a person who has used it once waits
    times = []
    for i in range(args.runs):
        times.append(one_run())
        print(f"run {i + 1}: {times[-1]:.2f} s", flush=True)
    print(f"from dnngui to a shown window: median {statistics.median(times):.2f} s (target ≤ 1.0)")


if __name__ == "__main__":
    main()
