import gzip

import numpy as np
import pytest

from dnngui.core import data
from dnngui.core.errors import DataError
from dnngui.core.tasks import TASKS


def idx_bytes(magic, dims, payload):
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims)
    return header + bytes(payload)


@pytest.fixture
def mnist_folder(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    labels = np.array([3, 1, 4, 1, 5], np.uint8)
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(0x803, (5, 28, 28), images.tobytes()))
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(0x801, (5,), labels.tobytes())))
    return tmp_path, images, labels


def test_bundled_digits_are_mnist_shaped():
    images, labels = data.load_bundled()
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and set(np.unique(labels)) == set(range(10))


def test_the_split_is_fixed_and_disjoint():
    digits = data.bundled()
    train_a, val_a = data.split(digits)
    _train_b, val_b = data.split(digits)
    assert len(val_a) == 1000 and len(train_a) == 9000
    assert np.array_equal(val_a.labels, val_b.labels) and np.array_equal(val_a.images, val_b.images)
    val_rows = {row.tobytes() for row in val_a.images}
    assert not any(row.tobytes() in val_rows for row in train_a.images[:2000])


def test_tasks_filter_the_loaded_digits():
    digits = data.bundled()
    X, classes = TASKS["zero-one"].select(digits)
    assert X.shape == (784, int(np.isin(digits.labels, [0, 1]).sum()))
    assert set(np.unique(classes)) == {0, 1}
    X, classes = TASKS["digits"].select(digits)
    assert X.shape == (784, 10000) and X.dtype == np.uint8


def test_reads_idx_files_plain_and_gzipped(mnist_folder):
    folder, images, labels = mnist_folder
    digits = data.read_mnist_folder(folder, "t10k")
    assert np.array_equal(digits.images, images)
    assert digits.labels.tolist() == labels.tolist()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "too short"),
        (idx_bytes(0x801, (5, 28, 28), b""), "not an MNIST images file"),
        (idx_bytes(0x803, (5, 28, 28), bytes(100)), "truncated"),
        (idx_bytes(0x803, (1, 28, 28), bytes(800)), "longer than its header says"),
        (idx_bytes(0x803, (1, 32, 32), bytes(1024)), "32×32"),
        (idx_bytes(0x803, (4_000_000_000, 28, 28), b""), "claims"),
        (b"\x1f\x8b broken gzip", "damaged"),
        (gzip.compress(idx_bytes(0x803, (5, 28, 28), bytes(100))), "truncated"),
        (gzip.compress(idx_bytes(0x803, (5, 28, 28), bytes(5 * 784)))[:-12], "damaged"),
    ],
)
def test_bad_image_files_raise_one_clear_error(tmp_path, content, message):
    path = tmp_path / "imgs"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message) as info:
        data.read_idx_images(path)
    assert "imgs" in str(info.value)


def test_labels_must_be_digits_and_counts_must_agree(tmp_path):
    (tmp_path / "l").write_bytes(idx_bytes(0x801, (2,), [1, 12]))
    with pytest.raises(DataError, match="label 12"):
        data.read_idx_labels(tmp_path / "l")
    (tmp_path / "i").write_bytes(idx_bytes(0x803, (3, 28, 28), bytes(3 * 784)))
    (tmp_path / "l").write_bytes(idx_bytes(0x801, (2,), [1, 2]))
    with pytest.raises(DataError, match="3 images but l has 2 labels"):
        data.read_idx_pair(tmp_path / "i", tmp_path / "l")


def test_missing_files_and_folders(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        data.read_idx_images(tmp_path / "nope")
    with pytest.raises(DataError) as missing:
        data.read_mnist_folder(tmp_path)
    # the whole folder, what is missing, and what an MNIST folder holds, so the person can find the files
    message = str(missing.value)
    assert message.startswith(f"{tmp_path} has no train-images-idx3-ubyte[.gz]")
    assert "train-labels-idx1-ubyte" in message and "\n" not in message


def test_digits_npz(tmp_path):
    images, labels = data.load_bundled()
    np.savez(tmp_path / "d.npz", images=images[:10], labels=labels[:10])
    assert len(data.load_digits(tmp_path / "d.npz")) == 10
    np.savez(tmp_path / "bad.npz", images=images[:10].astype(np.float32), labels=labels[:10])
    with pytest.raises(DataError, match="uint8"):
        data.load_digits(tmp_path / "bad.npz")
