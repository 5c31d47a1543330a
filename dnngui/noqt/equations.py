"""The article's equations written for one network, with its shapes (no Qt).

Each line is (equation, shapes): "Z1 = W1·A0 + b1" with
"(256, 1) = (256, 784)·(784, 1) + (256, 1)". The forward pass is written for
one drawing (m = 1); the backward pass for a training batch of m examples.
"""

from dnngui.core import activations

NAMES = {name: "σ" if name == "sigmoid" else a.title for name, a in activations.ACTIVATIONS.items()}


def _shape(rows, cols):
    return f"({rows}, {cols})"


def forward_lines(sizes, activations, output, m=1):
    """Z(l) = W(l)·A(l−1) + b(l) and A(l) = f(Z(l)) for every layer, with A0 = X."""
    lines = []
    L = len(sizes) - 1
    for l in range(1, L + 1):
        n, n_prev = sizes[l], sizes[l - 1]
        prev = "X" if l == 1 else f"A{l - 1}"
        lines.append(
            (
                f"Z{l} = W{l}·{prev} + b{l}",
                f"{_shape(n, m)} = {_shape(n, n_prev)}·{_shape(n_prev, m)} + {_shape(n, 1)}",
            )
        )
        f = ("σ" if output == "sigmoid" else "softmax") if l == L else NAMES[activations[l - 1]]
        lines.append((f"A{l} = {f}(Z{l})", _shape(n, m)))
    return lines


def cost_line(sizes, output, m):
    L = len(sizes) - 1
    if output == "sigmoid":
        formula = f"J = −(1/m)·Σ [Y·log A{L} + (1 − Y)·log(1 − A{L})]"
    else:
        formula = f"J = −(1/m)·Σ Σ Y·log A{L}"
    return formula, f"Y, A{L}: {_shape(sizes[-1], m)} → J: a number"


def backward_lines(sizes, m):
    """dZ(L) = A(L) − Y, then dW, db and dZ(l−1) for every layer down to the first."""
    L = len(sizes) - 1
    lines = [(f"dZ{L} = A{L} − Y", _shape(sizes[L], m))]
    for l in range(L, 0, -1):
        n, n_prev = sizes[l], sizes[l - 1]
        prev = "X" if l == 1 else f"A{l - 1}"
        lines.append((f"dW{l} = dZ{l}·{prev}ᵀ / m", f"{_shape(n, n_prev)} = {_shape(n, m)}·{_shape(m, n_prev)}"))
        lines.append((f"db{l} = Σ dZ{l} / m  (over the m columns)", f"{_shape(n, 1)}"))
        if l > 1:
            lines.append(
                (
                    f"dZ{l - 1} = (W{l}ᵀ·dZ{l}) ⊙ f′(Z{l - 1})",
                    f"{_shape(n_prev, m)} = ({_shape(n_prev, n)}·{_shape(n, m)}) ⊙ {_shape(n_prev, m)}",
                )
            )
    return lines
