"""The classic experiments show what they promise."""

import dataclasses

from dnngui.core import corpus, recipe
from dnngui.core.experiments import EXPERIMENTS
from dnngui.core.trainer import BatchDone, EpochDone


def run(name, **changes):
    settings = dataclasses.replace(EXPERIMENTS[name].recipe, **changes)
    _, records = recipe.start(settings, corpus.load(settings.data), health_every=10)
    records = list(records)
    steps = [r.health for r in records if isinstance(r, BatchDone) and r.health is not None]
    epochs = [r for r in records if isinstance(r, EpochDone)]
    return steps, epochs


def test_six_sigmoid_layers_make_the_first_gradients_vanish():
    steps, epochs = run("vanishing", epochs=1)
    first = steps[0].grad_rms
    assert first[0] * 1000 < first[-1]
    assert epochs[-1].val_accuracy < 0.3  # it has hardly learned


def test_a_learning_rate_too_high_kills_most_relus():
    _, epochs = run("dead", epochs=1)
    assert epochs[-1].health.dead[0] > 0.5
    _, calm = run("dead", epochs=1, lr=0.001)
    assert calm[-1].health.dead[0] < 0.1


def test_the_articles_network_tells_0_from_1():
    _, epochs = run("article")
    assert EXPERIMENTS["article"].recipe.task == "zero-one" and epochs[-1].val_accuracy >= 0.99
