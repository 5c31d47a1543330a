"""MNIST IDX files written for a test, as a downloaded MNIST folder holds them."""

import gzip


def idx_pair(folder, which, images, labels, damage=False):
    """Write ``which`` ("train" or "t10k") images (plain) and labels (gzipped) into ``folder``;
    ``damage`` cuts the images file in half."""
    n = len(labels)
    raw = b"\x00\x00\x08\x03" + b"".join(d.to_bytes(4, "big") for d in (n, 28, 28)) + images.tobytes()
    if damage:
        raw = raw[: len(raw) // 2]
    (folder / f"{which}-images-idx3-ubyte").write_bytes(raw)
    (folder / f"{which}-labels-idx1-ubyte.gz").write_bytes(
        gzip.compress(b"\x00\x00\x08\x01" + n.to_bytes(4, "big") + labels.tobytes())
    )
