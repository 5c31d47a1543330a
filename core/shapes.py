"""The shape of a digit, written once: a 28 × 28 image, 784 pixels, one column of X each."""

SIDE = 28  # pixels on each side of an MNIST digit, and cells on each side of the canvas
PIXELS = SIDE * SIDE  # n_0, the network's input width
