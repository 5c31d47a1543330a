"""Every benchmark runs, at a tiny size, so that none rots between the times someone runs it by hand.

The figures are not checked (speed is never asserted in tests): only that each script runs to the end
and prints what it measured. Like pyqtgraph's test_examples.py.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parent / "bench"
TINY = {
    "bench_canvas.py": ["--strokes", "2"],
    "bench_health.py": ["--rounds", "1", "--epochs", "1"],
    "bench_pen.py": ["--epochs", "2", "--passes", "1", "--pairs", "1", "--hidden", "8"],
    "bench_plots.py": ["--repaints", "2"],
    "bench_recipe.py": ["--data", "mnist", "--epochs", "1", "--hidden", "8", "--augment", "false"],
    "bench_startup.py": ["--runs", "1"],
    "bench_step.py": ["--repeats", "1"],
    "bench_teach.py": ["--k", "2", "--writers", "1"],
    "bench_train.py": ["--rounds", "1", "--epochs", "1", "--batches", "512"],
    "bench_ui_stall.py": ["--seconds", "0.5", "--tabs", "Train", "--rounds", "1"],
}


def test_every_benchmark_has_a_tiny_run():
    assert sorted(p.name for p in BENCH.glob("bench_*.py")) == sorted(TINY)


@pytest.mark.parametrize("name", sorted(TINY))
def test_the_benchmark_runs_at_a_tiny_size(name, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path), HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, str(BENCH / name), *TINY[name]],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        cwd=Path(__file__).parents[1],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip(), "it printed no figures"
