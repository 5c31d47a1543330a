"""The classic experiments of backprop, one recipe each: what to train, and what to watch.

Measured with the Health figures (core.health) on the bundled MNIST digits:
six sigmoid layers give dW1 about 10,000 times smaller than dW7 on the first
step (ReLU: about 2 times); ReLU with Adam at a learning rate of 0.03 leaves
about 80% of the first layer's units dead after one epoch (0.001: a few).
"""

from dataclasses import dataclass

from dnngui.core.recipe import Recipe


@dataclass(frozen=True)
class Experiment:
    title: str
    recipe: Recipe
    watch: str  # what the person should look at, and why it happens


EXPERIMENTS = {
    "vanishing": Experiment(
        "Vanishing gradients: six sigmoid layers",
        Recipe(
            hidden=(64,) * 6,
            activations=("sigmoid",),
            optimizer="sgd",
            lr=0.1,
            batch_size=64,
            epochs=5,
            augment=False,
            schedule="constant",
            data="mnist",
        ),
        "Watch the Health tab: the gradient RMS of dW1 lies orders of magnitude below dW7, a fan on the log "
        "axis. Each layer multiplies dZ by Wᵀ and by σ′(Z) ≤ 0.25 on its way back, so the first layers "
        "barely move and the cost stalls. Train the same network with ReLU to see the fan close.",
    ),
    "dead": Experiment(
        "Dead ReLUs: a learning rate too high",
        Recipe(
            hidden=(256, 128),
            activations=("relu",),
            optimizer="adam",
            lr=0.03,
            epochs=3,
            augment=False,
            schedule="constant",
            data="mnist",
        ),
        "Watch the Health tab: most of the first layer's units die in the first steps. A step too large pushes "
        "a unit's bias so far down that Z < 0 for every digit; then f′(Z) = 0, no gradient reaches its "
        "weights, and it never comes back. Try the learning rate 0.001 to keep them alive.",
    ),
    "article": Experiment(
        "The article's 0-vs-1 network",
        Recipe(
            task="zero-one",
            hidden=(64, 32),
            activations=("relu",),
            optimizer="sgd",
            lr=0.1,
            batch_size=128,
            epochs=15,
            augment=False,
            schedule="constant",
            data="mnist",
        ),
        "The article's network: one sigmoid output unit, binary cross-entropy, and plain gradient descent "
        "W := W − α·dW. The Math tab shows its equations with these shapes.",
    ),
}
