"""The article's equations with this network's shapes (dnngui.noqt.equations)."""

import re

from dnngui.noqt.equations import backward_lines, cost_line, forward_lines


def test_equation_shapes_chain():
    """Every product's inner dimensions agree, for any architecture."""
    sizes = [784, 30, 20, 10]
    for equation, shapes in forward_lines(sizes, ["relu", "tanh"], "softmax", m=5) + backward_lines(sizes, 5):
        for left, right in re.findall(r"\(\d+, (\d+)\)·\((\d+), \d+\)", shapes):
            assert left == right, (equation, shapes)


def test_each_layer_has_its_equations_with_its_own_shapes():
    sizes = [784, 30, 10]
    forward = forward_lines(sizes, ["relu"], "softmax", m=5)
    text = " ".join(f"{equation} {shapes}" for equation, shapes in forward)
    assert "(30, 784)" in text and "(10, 30)" in text and "(784, 5)" in text
    assert "softmax" in text.lower()
    assert len(backward_lines(sizes, 5)) > len(sizes) - 1
    assert cost_line(sizes, "softmax", 5)
