"""The Help menu's texts: how to use the app, its keyboard shortcuts, and About (version, licences)."""

import html

from PySide6 import QtGui, QtWidgets

from dnngui import __version__

ARTICLE = 'Kiana Jafari, "Understanding the Math behind Deep Neural Networks" (2024)'

# Each step is one paragraph: the dialog wraps it to its width.
HOW_TO = "\n\n".join(
    [
        "1. Draw a digit on the canvas with the mouse or a pen (the right button or the pen's eraser erases). "
        "The guess and the probability bars follow your pen; the small network input beside them is the 28×28 "
        "digit the network really reads, after MNIST-style cropping, scaling and centring.",
        "2. Train (Ctrl+T): choose the network and the settings, press Train and watch the cost of every batch "
        "fall. Your drawing is re-read with the weights as they learn. Classic experiments… fills in famous "
        "runs: vanishing gradients in a deep sigmoid network, dead ReLUs, and the article's 0-vs-1 network.",
        "3. Inside: each layer's weight shapes and its activations for your drawing; the first layer's weights "
        "as 28×28 pictures of what each unit looks for.",
        "4. Math: the article's forward and backward equations with this network's shapes, and a check of "
        "backpropagation against finite differences.",
        "5. Step: one step of backpropagation on your own drawing, with every number: say what the drawing is, "
        "press Teach one step (Ctrl+Enter), and see dZ, each dW and db, and the probabilities before and after. "
        "Why shows which pixels push the guess, and Nudge how little it takes to flip it.",
        "6. Health: how backprop is doing, layer by layer, while it trains: gradient sizes, the update ratio, "
        "dead or saturated units, and histograms of the weights.",
        "7. Evaluate: accuracy on digits the network never learned from (MNIST's held-out digits and those "
        "of the held-out pen writers), the confusion matrix, and the digits it gets wrong (click one to draw "
        "it again on the canvas; Evaluate stays, for the next one).",
        "8. Teach it your handwriting: after drawing, press the digit's key to keep the drawing under that "
        "label; My digits ▸ Fine-tune trains the network on them.",
        "Models are .npz files: Model ▸ Save keeps what you trained. Alt+1 … Alt+7 show the tabs, "
        "Ctrl+Tab (or Ctrl+PgDown) the next and Ctrl+Shift+Tab (or Ctrl+PgUp) the one before.",
        f"The math follows {ARTICLE}.",
    ]
)

CANVAS_KEYS = [
    ("0 … 9 (on the canvas)", "Add the drawing to your digits under that label"),
    ("Delete / Backspace (on the canvas)", "Clear the canvas"),
    ("Right button / pen eraser", "Erase"),
]


def shortcuts(window):
    """[(keys, what)] for every menu action and button with a shortcut, then the canvas's own keys."""
    rows = []
    for menu in window.menuBar().findChildren(QtWidgets.QMenu):
        for action in menu.actions():
            keys = ", ".join(k.toString(QtGui.QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
            if keys and (keys, action.text()) not in rows:
                rows.append((keys, action.text().replace("&", "").rstrip("…")))
    for button in window.findChildren(QtWidgets.QAbstractButton):
        keys = button.shortcut().toString(QtGui.QKeySequence.SequenceFormat.NativeText)
        if keys:
            rows.append((keys, button.text().replace("&", "")))
    return rows + CANVAS_KEYS


def shortcuts_html(window):
    """The shortcuts as a two-column table (padding with spaces lines up only in a fixed-width font)."""
    cells = "".join(
        f"<tr><td><b>{html.escape(keys)}</b>&nbsp;&nbsp;&nbsp;</td><td>{html.escape(what)}</td></tr>"
        for keys, what in shortcuts(window)
    )
    return f"<table>{cells}</table>"


def about_text(model_name, description):
    return (
        f"dnngui {__version__}: a from-scratch NumPy neural network you can draw for, train and look inside.\n\n"
        f"Current model: {model_name}\n{description or 'no description'}\n\n"
        f"The network and its equations follow {ARTICLE}.\n\n"
        "dnngui is free software under the MIT licence. It uses NumPy (BSD), Qt for Python / PySide6 (LGPLv3) "
        "and pyqtgraph (MIT).\n\n"
        "Bundled data:\n"
        "• MNIST digits by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licensed under CC BY-SA 3.0 "
        "(as packaged by cazala/mnist, MIT).\n"
        "• Pen-drawn digits: E. Alpaydin and F. Alimoglu, Pen-Based Recognition of Handwritten Digits, "
        "UCI Machine Learning Repository (1998), licensed under CC BY 4.0.\n"
        "• Pen-drawn digits of the UNIPEN project (I. Guyon, L. Schomaker, R. Plamondon, M. Liberman and S. Janet, "
        "ICPR 1994), train_r01_v07 category 1a, International Unipen Foundation (1999), released by the Unipen "
        "consortium under CC BY 4.0 (doi 10.5281/zenodo.1195803).\n"
        "The shipped digits model learned from all three."
    )
