"""core.runs: a kept run survives the disk, a damaged or hostile file is one clear error."""

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dnngui.core import runs
from dnngui.core.errors import DataError
from dnngui.core.recipe import Recipe
from dnngui.core.trainer import EpochDone


def a_run(lr=0.001, epochs=3):
    run = runs.begin(Recipe(lr=lr).as_dict())
    for e in range(1, epochs + 1):
        run.add_epoch(
            EpochDone(e, epochs, 1.0 / e, 0.5 + 0.1 * e, 1.1 / e, 0.5 + 0.1 * e, (("MNIST validation", 1.0, 0.9),))
        )
    run.outcome, run.seconds = "finished", 12.5
    return run


def test_a_run_round_trips_and_its_csv_has_settings_then_epochs(tmp_path):
    run = a_run()
    runs.save(run, tmp_path / "r.json")
    again = runs.load(tmp_path / "r.json")
    assert again == run and again.final_accuracy == pytest.approx(0.8)
    text = runs.to_csv(run).splitlines()
    assert "# lr: 0.001" in text and "# outcome: finished" in text
    assert text[-4] == "epoch,train_cost,train_accuracy,val_cost,val_accuracy,MNIST validation"
    assert text[-1].startswith("3,0.333")


def test_runs_are_named_by_the_settings_in_which_they_differ():
    assert runs.differences([a_run(lr=0.001), a_run(lr=0.01)]) == ["lr=0.001", "lr=0.01"]


def test_runs_of_the_same_settings_are_named_apart_by_when_they_started():
    first, second, third = a_run(), a_run(), a_run()
    first.started, second.started, third.started = "2026-12-02T09:15:03", "2026-12-02T10:40:00", "2026-12-02T10:40:00"
    assert runs.differences([first, second]) == ["same settings, at 09:15", "same settings, at 10:40"]
    second.started = "2026-12-02T09:15:41"
    assert runs.differences([first, second]) == ["same settings, at 09:15:03", "same settings, at 09:15:41"]
    assert runs.differences([first, second, third])[2] == "same settings, at 10:40:00"
    second.started = third.started
    assert runs.differences([second, third]) == ["same settings, at 10:40:00 (1)", "same settings, at 10:40:00 (2)"]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"[]",
        b'{"started": 1}',
        json.dumps({"started": "x", "settings": [], "epochs": 3}).encode(),
        b"\xff" * 10,
    ],
)
def test_a_damaged_run_file_is_one_clear_error(tmp_path, content):
    path = tmp_path / "run-x.json"
    path.write_bytes(content)
    with pytest.raises(DataError, match=r"run-x\.json"):
        runs.load(path)


def test_a_huge_run_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "run-big.json"
    with path.open("wb") as f:
        f.truncate(runs.MAX_BYTES + 1)
    with pytest.raises(DataError, match="larger than a run file can be"):
        runs.load(path)


JSON = st.recursive(
    st.none() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children) | st.dictionaries(st.text(max_size=5), children),
)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300) | JSON.map(lambda value: json.dumps(value).encode()))
def test_fuzzed_run_files_load_or_fail_with_a_data_error(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "run-f.json"
    path.write_bytes(content)
    with contextlib.suppress(DataError):  # anything else (a traceback) fails the test
        runs.load(path)
