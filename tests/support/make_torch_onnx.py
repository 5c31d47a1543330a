"""Make tests/fixtures/torch_mlp.onnx: an MLP trained a little in PyTorch and written by torch.onnx.export.

Run by hand (PyTorch is used here only, never by dnngui or its tests):
    pip install torch==2.13.0 && python tests/support/make_torch_onnx.py

Also writes torch_mlp_probabilities.npy, PyTorch's own probabilities for the first
50 validation digits, which the test compares with the network dnngui opens.
"""

import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dnngui.core import data  # noqa: E402


def main():
    torch.manual_seed(0)
    train, val = data.split(data.bundled())
    X = torch.tensor(train.images.reshape(len(train), -1) / 255.0, dtype=torch.float32)
    y = torch.tensor(train.labels.astype(np.int64))
    model = torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(2):  # two epochs: a model that reads digits, small enough to keep in the repository
        for batch in torch.randperm(len(X)).split(128):
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(X[batch]), y[batch]).backward()
            optimizer.step()
    exported = torch.nn.Sequential(*model, torch.nn.Softmax(dim=1)).eval()
    out = ROOT / "tests" / "fixtures"
    example = torch.zeros(1, 784)
    torch.onnx.export(
        exported,
        (example,),
        out / "torch_mlp.onnx",
        input_names=["x"],
        output_names=["p"],
        dynamic_axes={"x": {0: "m"}, "p": {0: "m"}},
        dynamo=False,
    )
    X_val = torch.tensor(val.images[:50].reshape(50, -1) / 255.0, dtype=torch.float32)
    with torch.no_grad():
        np.save(out / "torch_mlp_probabilities.npy", exported(X_val).numpy().T)
    print("wrote", out / "torch_mlp.onnx")


if __name__ == "__main__":
    main()
