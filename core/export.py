"""The network as a standalone Python script: the article's equations with this network's sizes, in NumPy.

:func:`write_script` writes three files: ``out.py``, a readable script that needs
NumPy alone (with ``# %%`` cells, so it opens as a notebook in Jupyter or VS Code);
``out.weights.npz``, the weights as plain arrays W1, b1, …; and, if asked,
``out.digits.npz``, the bundled MNIST digits split as dnngui splits them.
``python out.py`` reads the validation digits with the weights and prints the
accuracy the app gives; ``python out.py --train`` trains a fresh network of the
same shape with the run's recipe (on the MNIST digits: the pen-drawn digits and
the random distortions stay in dnngui) and plots the cost if matplotlib is there.
"""

import re
from pathlib import Path

import numpy as np

from dnngui.core import data
from dnngui.core.activations import LEAKY_SLOPE
from dnngui.core.atomic import write_atomically
from dnngui.core.errors import ModelError

DEFAULTS = {"optimizer": "adam", "lr": 0.001, "batch_size": 128, "epochs": 10, "schedule": "cosine", "seed": 0}
_SETTING = {
    "optimizer": r"--optimizer (\w+)",
    "lr": r"--lr ([0-9.eE+-]+)",
    "batch_size": r"--batch-size (\d+)",
    "epochs": r"--epochs (\d+)",
    "schedule": r"--schedule (\w+)",
    "seed": r"--seed (\d+)",
    "weight_decay": r"--weight-decay ([0-9.eE+-]+)",
}


def recipe_of(description):
    """The training settings a model's description records (its ``dnngui train`` command), else DEFAULTS."""
    settings = {**DEFAULTS, "weight_decay": 0.0}
    for key, pattern in _SETTING.items():
        found = re.findall(pattern, description or "")
        if found:
            value = found[-1]  # a fine-tuned or continued model names its last run last
            settings[key] = int(value) if key in ("batch_size", "epochs", "seed") else value
            if key in ("lr", "weight_decay"):
                settings[key] = float(value)
    return settings


def write_script(network, path, model_name="", with_digits=False):
    """Write ``path`` (a .py file), its weights beside it and, ``with_digits``, the MNIST digits it reads.

    Returns the paths written. ModelError if the network does not read 28×28 digits."""
    path = Path(path)
    if network.sizes[0] != 784:
        raise ModelError(f"only a network of 784 inputs can be exported as a script, not {network.sizes[0]}")
    weights = path.with_suffix(".weights.npz")
    digits = path.with_suffix(".digits.npz")
    arrays = {name: np.asarray(value, np.float32) for name, value in network.params.items()}
    arrays["classes"] = np.asarray(network.classes, np.int64)
    write_atomically(weights, lambda f: np.savez(f, **arrays), ModelError)
    written = [path, weights]
    if with_digits:
        train, val = data.split(data.bundled())
        parts = {"X_train": train.images, "y_train": train.labels, "X_val": val.images, "y_val": val.labels}
        write_atomically(digits, lambda f: np.savez_compressed(f, **parts), ModelError)
        written.append(digits)
    text = script_text(network, model_name, weights.name, digits.name)
    write_atomically(path, lambda f: f.write(text.encode()), ModelError)
    return written


def script_text(network, model_name, weights_name, digits_name):
    """The script's source for ``network``."""
    r = recipe_of(network.description)
    hidden = network.activation_names
    return TEMPLATE.format(
        model=model_name or "a dnngui model",
        description=(network.description or "no description").replace('"""', "'''"),
        sizes=list(network.sizes),
        activations=list(hidden),
        output=network.output.name,
        classes=[int(c) for c in network.classes],
        weights=weights_name,
        digits=digits_name,
        slope=LEAKY_SLOPE,
        optimizer=r["optimizer"],
        lr=r["lr"],
        batch_size=r["batch_size"],
        epochs=r["epochs"],
        schedule=r["schedule"],
        seed=r["seed"],
        weight_decay=r["weight_decay"],
    )


TEMPLATE = '''\
"""A deep neural network in NumPy, exported from dnngui: {model}.

Made by: {description}

The equations follow Kiana Jafari, "Understanding the Math behind Deep Neural Networks"
(2024), with examples as columns: X is (784, m).

    python {{this file}}           read the validation digits with the exported weights
    python {{this file}} --train   train a fresh network of the same shape with the same recipe
"""

# %% The network: its shape, activations and output
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SIZES = {sizes}  # n_0 = 784 pixels, the hidden layers, then the output units
ACTIVATIONS = {activations}  # f for each hidden layer
OUTPUT = "{output}"  # softmax over the classes, or one sigmoid unit giving P(the second class)
CLASSES = {classes}  # the digit each output stands for
L = len(SIZES) - 1

# The recipe of the model's last run (dnngui also drew pen digits afresh and distorted each batch)
OPTIMIZER, LR, BATCH_SIZE, EPOCHS, SCHEDULE, SEED, WEIGHT_DECAY = (
    "{optimizer}", {lr!r}, {batch_size}, {epochs}, "{schedule}", {seed}, {weight_decay!r}
)

# %% Activations f and their derivatives f′
SLOPE = {slope!r}  # leaky ReLU's slope below 0


def sigmoid(Z):
    return 0.5 * (1.0 + np.tanh(0.5 * Z))  # = 1 / (1 + e^(−Z)), without overflow


def f(name, Z):
    if name == "sigmoid":
        return sigmoid(Z)
    if name == "tanh":
        return np.tanh(Z)
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "leaky_relu":
        return np.where(Z > 0, Z, SLOPE * Z)
    if name == "swish":
        return Z * sigmoid(Z)
    raise ValueError(name)


def f_prime(name, Z):
    if name == "sigmoid":
        s = sigmoid(Z)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(Z) ** 2
    if name == "relu":
        return (Z > 0).astype(Z.dtype)
    if name == "leaky_relu":
        return np.where(Z > 0, 1.0, SLOPE)
    if name == "swish":
        s = sigmoid(Z)
        return s + Z * s * (1.0 - s)
    raise ValueError(name)


def output(Z):
    """A(L) = g(Z(L)): softmax over the classes, or one sigmoid unit."""
    if OUTPUT == "sigmoid":
        return sigmoid(Z)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


# %% Forward propagation: Z(l) = W(l)·A(l−1) + b(l), A(l) = f(Z(l))
def forward(params, X):
    """Z and A of every layer; A[0] = X."""
    Z, A = [None], [X]
    for l in range(1, L + 1):
        Z.append(params[f"W{{l}}"] @ A[l - 1] + params[f"b{{l}}"])
        A.append(output(Z[l]) if l == L else f(ACTIVATIONS[l - 1], Z[l]))
    return Z, A


def probabilities(params, X):
    """P(class) for each column of X: (classes, m)."""
    A_L = forward(params, X)[1][L]
    return np.vstack([1.0 - A_L, A_L]) if OUTPUT == "sigmoid" else A_L


def predict(params, X):
    """The class each column of X is read as (a sigmoid's unit: the second class from P = 0.5 up)."""
    P = probabilities(params, X)
    index = (P[1] >= 0.5).astype(int) if OUTPUT == "sigmoid" else np.argmax(P, axis=0)
    return np.asarray(CLASSES)[index]


# %% The cost: cross-entropy, from Z for stability
def cost(Z_L, Y):
    """J = (1/m)·Σ L, binary cross-entropy for a sigmoid, categorical for a softmax."""
    m = Y.shape[1]
    if OUTPUT == "sigmoid":  # −(y·log σ(z) + (1 − y)·log(1 − σ(z))) = max(z, 0) − z·y + log(1 + e^(−|z|))
        return float(np.sum(np.maximum(Z_L, 0) - Z_L * Y + np.log1p(np.exp(-np.abs(Z_L)))) / m)
    shifted = Z_L - Z_L.max(axis=0, keepdims=True)  # log-softmax: z − max z − log Σ e^(z − max z)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return float(-np.sum(Y * log_softmax) / m)


# %% Backpropagation
def backward(params, Z, A, Y):
    """dW(l), db(l) for every layer of a batch of m columns."""
    m = Y.shape[1]
    grads = {{}}
    dZ = A[L] - Y  # dZ(L) = A(L) − Y (each output paired with its own cost)
    for l in range(L, 0, -1):
        grads[f"W{{l}}"] = dZ @ A[l - 1].T / m  # dW = dZ·A_prevᵀ / m
        grads[f"b{{l}}"] = dZ.sum(axis=1, keepdims=True) / m  # db = Σ dZ / m
        if l > 1:
            dZ = (params[f"W{{l}}"].T @ dZ) * f_prime(ACTIVATIONS[l - 2], Z[l - 1])  # dZ_prev = Wᵀ·dZ ⊙ f′(Z_prev)
    return grads


# %% The digits
def load_digits():
    """(X_train, y_train, X_val, y_val): columns of 784 pixels in [0, 1], labels 0–9."""
    path = HERE / "{digits}"
    if not path.is_file():
        sys.exit(f"{{path.name}} is missing: export the script with its digits (dnngui export --digits)")
    with np.load(path) as d:
        cols = lambda images: images.reshape(len(images), -1).T * np.float32(1 / 255)  # noqa: E731  float32, as dnngui
        return cols(d["X_train"]), d["y_train"], cols(d["X_val"]), d["y_val"]


def targets(labels):
    """Y for the digits of the network's classes: one-hot columns, or 0/1 for a sigmoid."""
    index = np.array([CLASSES.index(int(y)) for y in labels])
    if OUTPUT == "sigmoid":
        return index[None, :].astype(float)
    Y = np.zeros((len(CLASSES), len(index)))
    Y[index, np.arange(len(index))] = 1.0
    return Y


def of_classes(X, y):
    keep = np.isin(y, CLASSES)
    return X[:, keep], y[keep]


# %% Training: mini-batches, the recipe's optimiser and schedule
def init(rng):
    """He initialisation for ReLU-like layers, Xavier for sigmoid and tanh."""
    params = {{}}
    for l in range(1, L + 1):
        n_in, n_out = SIZES[l - 1], SIZES[l]
        relu_like = l < L and ACTIVATIONS[l - 1] in ("relu", "leaky_relu", "swish")
        scale = np.sqrt(2.0 / n_in) if relu_like else np.sqrt(2.0 / (n_in + n_out))
        params[f"W{{l}}"] = (rng.standard_normal((n_out, n_in)) * scale).astype(np.float32)
        params[f"b{{l}}"] = np.zeros((n_out, 1), np.float32)
    return params


def train(X, Y, epochs=EPOCHS, on_batch=None):
    rng = np.random.default_rng(SEED)
    params = init(rng)
    m_seen, steps = 0, epochs * -(-X.shape[1] // BATCH_SIZE)
    state = {{k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}}
    for epoch in range(1, epochs + 1):
        order = rng.permutation(X.shape[1])
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            Z, A = forward(params, X[:, batch])
            J = cost(Z[L], Y[:, batch])
            grads = backward(params, Z, A, Y[:, batch])
            lr = LR * 0.5 * (1 + np.cos(np.pi * m_seen / steps)) if SCHEDULE == "cosine" else LR
            m_seen += 1
            for k in params:
                g = grads[k] + WEIGHT_DECAY * params[k]
                first, second = state[k]
                if OPTIMIZER == "adam":  # running means of g and g², corrected for their start at 0
                    first[:] = 0.9 * first + 0.1 * g
                    second[:] = 0.999 * second + 0.001 * g * g
                    step = (first / (1 - 0.9**m_seen)) / (np.sqrt(second / (1 - 0.999**m_seen)) + 1e-8)
                elif OPTIMIZER == "momentum":  # v ← 0.9·v + g
                    first[:] = 0.9 * first + g
                    step = first
                else:  # plain gradient descent
                    step = g
                params[k] -= lr * step  # W ← W − α·dW
            if on_batch is not None:
                on_batch(J)
        print(f"epoch {{epoch}}/{{epochs}}: cost of the last batch {{J:.4f}}")
    return params


# %% Run
def main(argv):
    X_train, y_train, X_val, y_val = load_digits()
    X_val, y_val = of_classes(X_val, y_val)
    if "--train" in argv:
        epochs = int(argv[argv.index("--epochs") + 1]) if "--epochs" in argv else EPOCHS
        X, y = of_classes(X_train, y_train)
        costs = []
        params = train(X, targets(y), epochs, costs.append)
        print(f"cost of the first batch {{costs[0]:.4f}}, of the last {{costs[-1]:.4f}}")
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            print("(install matplotlib to plot the cost)")
        else:
            plt.plot(costs)
            plt.xlabel("batch")
            plt.ylabel("cost J")
            plt.show()
    else:
        with np.load(HERE / "{weights}") as w:
            params = {{k: w[k] for k in w.files if k != "classes"}}  # float32, as dnngui computes
    accuracy = np.mean(predict(params, X_val) == y_val)
    print(f"accuracy on {{len(y_val)}} validation digits: {{accuracy:.4f}}")


if __name__ == "__main__":
    main(sys.argv[1:])
'''
