"""Your drawings on disk: two windows labelling at once, failed saves, damaged files, modes, leftovers."""

import os
import stat
import time

import numpy as np

from dnngui.core import personal
from dnngui.state.personal_store import FALLBACK_NAME, PersonalStore


def sample(k):
    x = np.zeros(784)
    x[k % 784] = 1.0
    x[(k * 7 + 100) % 784] = 0.5
    return x


def test_two_windows_labelling_at_once_lose_nothing(data_folder):
    first, second = PersonalStore(data_folder), PersonalStore(data_folder)
    for k in range(20):
        first.add(sample(k), k % 10)
        second.add(sample(100 + k), (k + 3) % 10)
    on_disk = personal.load(data_folder / "my_digits.npz")
    assert len(on_disk) == 40
    assert len(second) == 40  # each window sees the other's drawings after its next change
    second.remove([0])
    assert len(personal.load(data_folder / "my_digits.npz")) == 39
    first.add(sample(999), 9)
    assert len(first) == 40 and len(personal.load(data_folder / "my_digits.npz")) == 40


def test_a_failed_save_keeps_the_drawing_and_the_next_save_writes_it(data_folder, monkeypatch):
    store = PersonalStore(data_folder)
    store.add(sample(1), 1)
    real_save = personal.save

    def full_disk(digits, path):
        raise personal.DataError("cannot save my_digits.npz: No space left on device")

    monkeypatch.setattr(personal, "save", full_disk)
    store.add(sample(2), 2)
    assert "No space left" in store.save_error and store.digits.labels.tolist() == [1, 2]
    monkeypatch.setattr(personal, "save", real_save)
    store.add(sample(3), 3)
    assert store.save_error is None
    assert personal.load(data_folder / "my_digits.npz").labels.tolist() == [1, 2, 3]


def test_a_damaged_file_that_cannot_be_moved_is_left_and_the_new_set_is_found_again(data_folder, monkeypatch):
    data_folder.mkdir(parents=True)
    (data_folder / "my_digits.npz").write_bytes(b"garbage")
    real_replace = type(data_folder).replace

    def refuse(self, target):
        if self.name == "my_digits.npz":
            raise PermissionError(13, "Permission denied")
        return real_replace(self, target)

    monkeypatch.setattr(type(data_folder), "replace", refuse)
    store = PersonalStore(data_folder)
    assert f"your drawings go to {data_folder / FALLBACK_NAME}" in store.notice
    assert "It could not be moved aside (Permission denied)" in store.notice  # the path's case is kept
    store.add(sample(5), 5)
    again = PersonalStore(data_folder)  # the next start finds what was drawn meanwhile
    assert again.digits.labels.tolist() == [5]
    assert (data_folder / "my_digits.npz").read_bytes() == b"garbage"


def test_the_damaged_file_notice_shows_the_path_as_it_is(data_folder):
    data_folder.mkdir(parents=True)
    (data_folder / "my_digits.npz").write_bytes(b"garbage")
    store = PersonalStore(data_folder)
    assert "It was kept as " + str(data_folder) in store.notice


def test_saved_files_keep_their_mode_or_follow_the_umask(data_folder):
    store = PersonalStore(data_folder)
    store.add(sample(1), 1)
    path = data_folder / "my_digits.npz"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()
    os.chmod(path, 0o640)
    store.add(sample(2), 2)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_temporary_files_a_crash_left_are_removed_on_the_next_start(data_folder):
    data_folder.mkdir(parents=True)
    old = data_folder / ".my_digits.npz.abc123.tmp"
    old.write_bytes(b"x" * 1000)
    long_ago = time.time() - 3600
    os.utime(old, (long_ago, long_ago))
    fresh = data_folder / ".my_digits.npz.def456.tmp"  # another window saving right now
    fresh.write_bytes(b"y")
    PersonalStore(data_folder)
    assert not old.exists() and fresh.exists()


def test_a_temporary_file_whose_writer_has_ended_is_removed_at_once(data_folder):
    """A crash just now: the process that was saving is gone, so its file is no save under way."""
    import subprocess
    import sys

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = int(ended.stdout)
    data_folder.mkdir(parents=True)
    crashed = data_folder / f".my_digits.npz.{gone}.abc123.tmp"
    crashed.write_bytes(b"x" * 1000)
    saving = data_folder / f".my_digits.npz.{os.getppid()}.def456.tmp"  # a live process's save, under way
    saving.write_bytes(b"y")
    PersonalStore(data_folder)
    assert not crashed.exists() and saving.exists()
