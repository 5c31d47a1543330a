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
        b"[" * 100_000 + b"]" * 100_000,  # nested deeper than the JSON reader goes
        json.dumps({"started": "x", "settings": {}, "epochs": [], "outcome": "finished", "seconds": 0})
        .replace('"seconds": 0', '"seconds": ' + "9" * 400)
        .encode(),  # a 400-digit duration
        json.dumps({"started": "x", "settings": {}, "epochs": [], "outcome": "finished", "seconds": 0})
        .replace('"seconds": 0', '"seconds": NaN')
        .encode(),
        json.dumps({"started": "x", "settings": {}, "epochs": [{"val_cost": 0}], "outcome": "finished", "seconds": 1})
        .replace('"val_cost": 0', '"val_cost": ' + "9" * 400)
        .encode(),  # a cost no float holds: a traceback when the run was ticked
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


def test_a_run_too_large_to_read_back_is_not_written(tmp_path):
    """10,000 epochs named after a long folder made a file larger than the reader accepts."""
    run = a_run(epochs=1)
    long_name = "MNIST validation (" + "f" * 255 + ")"
    sets = {f"{long_name} {k}": 0.9 for k in range(2)}
    run.epochs = [{"epoch": e, "val_cost": 0.5, long_name: 0.9, **sets} for e in range(1, 10_001)]
    with pytest.raises(DataError, match="more than a run file may"):
        runs.save(run, tmp_path / "r.json")
    assert not (tmp_path / "r.json").exists()
    run.epochs = run.epochs[:100]
    runs.save(run, tmp_path / "r.json")
    assert runs.load(tmp_path / "r.json").epochs[-1][long_name] == pytest.approx(0.9)


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(10**500), 10**500) | st.floats() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
        max_leaves=20,
    )
)
def test_fuzzed_run_fields_load_as_a_run_or_one_error_and_a_run_ticks(tmp_path_factory, value):
    """Any JSON in any field, huge integers and nesting included: a Run whose columns are numbers, or a DataError."""
    base = {"started": "2026-12-02T10:00:00", "settings": {"lr": 0.001}, "epochs": [{"epoch": 1, "val_cost": 0.5}],
            "outcome": "finished", "seconds": 1.0}  # fmt: skip
    path = tmp_path_factory.mktemp("runs") / "run.json"
    for key in ("started", "settings", "epochs", "outcome", "seconds"):
        for changed in ({**base, key: value}, {**base, "epochs": [{"epoch": 1, "val_cost": value}]}):
            path.write_text(json.dumps(changed))
            try:
                run = runs.load(path)
            except DataError as e:
                assert "\n" not in str(e)
                continue
            for column in runs.COLUMNS:
                assert all(isinstance(v, float) for v in run.column(column))  # what ticking a run draws
            runs.differences([run, run])
