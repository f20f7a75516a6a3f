"""Training ``digit_cnn_wide``: cnnlib against the same network in PyTorch on the CPU, both warm.

Both sides train at float32 (PyTorch's default, what a learner would pick
instead) from the same initial weights, on the same 54,000 digits of notebook
08's split, in the same batches of 64 in the same order, with Adam and the same
one-cycle learning rate (up to 4e-3). Both are warmed up first (PyTorch builds
its kernels for each batch size on first use, numpy and BLAS fault their
buffers in): a few batches of both sizes, the full one and the last, shorter one.

Two targets, each a ratio cnnlib / PyTorch measured in the same run:

- a warm epoch (best of ``settings.repeat`` epochs per side, interleaved);
- the time to 99.0% on the 10,000 test digits: 3 epochs on each side, the test
  set evaluated after each epoch (not timed), the training time until the first
  epoch that reaches 99.0%; the best of ``ACCURACY_RUNS`` runs per side, interleaved
  (each run starts from the same weights and makes the same steps, so only the
  time differs: with one run per side, the ratio read 1.65 and 1.41 half an hour apart;
  with two, PyTorch's best 3 epochs took 11.6 s in one run and 16.4 s in another).

``--quick`` times a warm epoch of 1,600 digits and skips the time to 99%.
"""

from __future__ import annotations

import time

import numpy as np

import cnnlib
from cnnlib import data
from cnnlib.layers import Conv2D
from cnnlib.training import Adam, OneCycle, digit_cnn_wide, evaluate, fit, training_threads

from .timing import Settings, Verdict, best_times, check_agree, judge, ms, print_table

LIMIT = 1.5
BATCH = 64
MAX_LR = 4e-3
EPOCHS = 3
ACCURACY = 0.99
QUICK_DIGITS = 1_600
EPOCH_REPEATS = 3  # warm epochs timed per side (each about 5-10 s)
ACCURACY_RUNS = 3  # 3-epoch runs per side for the time to 99% (each about 12-25 s)


def load_digits():
    """(train images, train labels, test images, test labels) as notebook 08 makes them: float32 in [0, 1]."""
    mnist = data.load_mnist()
    train_all = cnnlib.scale_pixels(mnist.train_images).astype(np.float32)[:, None]
    split = data.train_val_split(train_all, mnist.train_labels, val_fraction=0.1, seed=0)
    test = cnnlib.scale_pixels(mnist.test_images).astype(np.float32)[:, None]
    return split.train_images, split.train_labels, test, mnist.test_labels


def torch_network(torch, ours):
    """The same layers in PyTorch, starting from the weights of the cnnlib network ``ours``."""
    nn = torch.nn
    network = nn.Sequential(
        nn.Conv2d(1, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(512, 10),
    )
    with torch.no_grad():
        for i in (0, 3, 7):  # the conv and dense layers sit at the same places on both sides
            theirs, layer = network[i], ours.layers[i]
            theirs.weight.copy_(torch.from_numpy(layer.params["w"]))
            theirs.bias.copy_(torch.from_numpy(layer.params["b"]))
    return network


class TorchTraining:
    """PyTorch's side: the loop ``fit`` runs, in PyTorch, with the same shuffling, schedule and optimiser."""

    def __init__(self, torch, images, labels, epochs):
        self.torch, self.epochs = torch, epochs
        self.images, self.labels = torch.from_numpy(images), torch.from_numpy(labels)
        self.batches = -(-len(images) // BATCH)

    def run(self, network, test=None, seed=0, schedule=True):
        """Train ``epochs`` epochs; return (training seconds at each epoch's end, test accuracy after each)."""
        torch = self.torch
        optimizer = torch.optim.Adam(network.parameters(), lr=MAX_LR)
        steps = self.epochs * self.batches
        if schedule:
            schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, MAX_LR, total_steps=steps, cycle_momentum=False)
        loss_function = torch.nn.CrossEntropyLoss()
        rng = np.random.default_rng(seed)  # as fit shuffles: one permutation per epoch from this generator
        seconds, accuracies, total = [], [], 0.0
        for _ in range(self.epochs):
            started = time.perf_counter()
            order = torch.from_numpy(rng.permutation(len(self.images)))
            for b in range(self.batches):
                index = order[b * BATCH : (b + 1) * BATCH]
                optimizer.zero_grad()
                loss_function(network(self.images[index]), self.labels[index]).backward()
                optimizer.step()
                if schedule:
                    schedule.step()
            total += time.perf_counter() - started
            seconds.append(total)
            if test is not None:
                accuracies.append(self.accuracy(network, *test))
        return seconds, accuracies

    def accuracy(self, network, images, labels):
        with self.torch.no_grad():
            chunks = self.torch.from_numpy(images).split(500)
            predicted = self.torch.cat([network(chunk).argmax(1) for chunk in chunks])
        return float((predicted.numpy() == labels).mean())


def ours_run(images, labels, epochs, test=None, schedule=True):
    """Train a fresh ``digit_cnn_wide`` with ``fit``; return (the History, the network)."""
    network = digit_cnn_wide(seed=0)
    steps = epochs * -(-len(images) // BATCH)
    history = fit(
        network,
        images,
        labels,
        optimizer=Adam(network, lr=MAX_LR),
        schedule=OneCycle(MAX_LR, steps) if schedule else None,
        epochs=epochs,
        batch_size=BATCH,
        seed=0,
        validation=test,
        progress=False,
    )
    return history, network


def warm_up(torch, images, labels):
    """A few steps on each side, at both batch sizes an epoch uses, on networks thrown away afterwards."""
    last = len(images) % BATCH or BATCH
    few = np.concatenate([np.arange(2 * BATCH), np.arange(last)])  # two full batches, then the short one
    fit_images, fit_labels = images[: 2 * BATCH + last], labels[: 2 * BATCH + last]
    ours_run(fit_images, fit_labels, 1, schedule=False)
    TorchTraining(torch, images[few], labels[few], 1).run(torch_network(torch, digit_cnn_wide(seed=0)), schedule=False)


def time_to_accuracy(seconds, accuracies):
    """Training seconds until the first epoch whose test accuracy reaches ACCURACY, or None."""
    return next((s for s, a in zip(seconds, accuracies, strict=True) if a >= ACCURACY), None)


def _fastest(best, seconds):
    """The smaller of two times to 99%, either of which may be None (not reached)."""
    return seconds if best is None else best if seconds is None else min(best, seconds)


def run(settings: Settings) -> list[Verdict]:
    """Warm epochs on both sides, then the time to 99% (full run only), and a Conv2D step; return the verdicts."""
    try:
        import torch
    except ImportError:
        print("\n4. training vs PyTorch: SKIPPED, torch is not installed (`.venv/bin/pip install torch==2.13.0`).")
        return [
            Verdict("training epoch / torch float32", None, LIMIT, "torch is not installed"),
            Verdict("time to 99% / torch float32", None, LIMIT, "torch is not installed"),
        ]

    images, labels, test_images, test_labels = load_digits()
    if settings.quick:
        images, labels = images[:QUICK_DIGITS], labels[:QUICK_DIGITS]
    n = len(images)
    warm_up(torch, images, labels)

    # 1. a warm epoch, best of `repeat` per side, interleaved so that load from elsewhere hits both alike
    ours_epoch = theirs_epoch = float("inf")
    theirs_side = TorchTraining(torch, images, labels, 1)
    for _ in range(1 if settings.quick else min(settings.repeat, EPOCH_REPEATS)):
        start = time.perf_counter()
        ours_run(images, labels, 1)
        ours_epoch = min(ours_epoch, time.perf_counter() - start)
        start = time.perf_counter()
        theirs_side.run(torch_network(torch, digit_cnn_wide(seed=0)))
        theirs_epoch = min(theirs_epoch, time.perf_counter() - start)
    epoch_ratio = ours_epoch / theirs_epoch
    rows = [
        [
            f"warm epoch of {n:,} digits, batch {BATCH}",
            f"{ours_epoch:.2f} s",
            f"{theirs_epoch:.2f} s",
            f"{epoch_ratio:.2f}",
            judge(epoch_ratio, LIMIT),
        ]
    ]
    verdicts = [Verdict("training epoch / torch float32", epoch_ratio, LIMIT, f"{n} digits")]

    # 2. the time to 99% on the test digits, the same 3 epochs on each side
    if settings.quick:
        verdicts.append(Verdict("time to 99% / torch float32", None, LIMIT, "not measured with --quick"))
    else:
        test = (test_images, test_labels)
        ours_time = theirs_time = None
        for _ in range(ACCURACY_RUNS):  # interleaved, so that load from elsewhere hits both alike
            history, network = ours_run(images, labels, EPOCHS, test)
            theirs_seconds, theirs_accuracy = TorchTraining(torch, images, labels, EPOCHS).run(
                torch_network(torch, digit_cnn_wide(seed=0)), test
            )
            ours_time = _fastest(ours_time, time_to_accuracy(history.seconds, history.val_accuracy))
            theirs_time = _fastest(theirs_time, time_to_accuracy(theirs_seconds, theirs_accuracy))
        rows.append(
            ["  test accuracy after epochs 1, 2, 3"]
            + [" ".join(f"{a:.2%}" for a in side) for side in (history.val_accuracy, theirs_accuracy)]
            + ["", ""]
        )
        rows.append(
            ["  training time up to epochs 1, 2, 3 (last run)"]
            + [" ".join(f"{t:.1f}" for t in side) + " s" for side in (history.seconds, theirs_seconds)]
            + ["", ""]
        )
        if ours_time is None or theirs_time is None:
            missing = " and ".join(side for side, t in (("cnnlib", ours_time), ("torch", theirs_time)) if t is None)
            rows.append([f"time to {ACCURACY:.0%} test accuracy", "-", "-", "-", f"{missing} never reached it"])
            verdicts.append(Verdict("time to 99% / torch float32", float("inf"), LIMIT, f"{missing}: not reached"))
        else:
            ratio = ours_time / theirs_time
            rows.append(
                [
                    f"time to {ACCURACY:.0%} test accuracy",
                    f"{ours_time:.1f} s",
                    f"{theirs_time:.1f} s",
                    f"{ratio:.2f}",
                    judge(ratio, LIMIT),
                ]
            )
            verdicts.append(Verdict("time to 99% / torch float32", ratio, LIMIT, f"{EPOCHS} epochs of {n} digits"))
        check_agree("final test accuracy", evaluate(network, *test), history.val_accuracy[-1])

    with training_threads():  # as fit runs the layers
        rows += conv_layer_rows(torch, settings)
    print_table(
        f"4. training digit_cnn_wide vs PyTorch, float32, Adam, one-cycle to {MAX_LR:g}, {torch.get_num_threads()} "
        f"torch threads (targets: warm epoch and time to {ACCURACY:.0%} ratios <= {LIMIT:g})",
        ["what", "cnnlib", "torch", "ratio", "target"],
        rows,
    )
    return verdicts


def conv_layer_rows(torch, settings: Settings) -> list[list[str]]:
    """One forward + backward of each Conv2D of digit_cnn_wide on a batch, against torch (for context).

    Run with cnnlib's threads as inside ``fit`` (:func:`cnnlib.training.training_threads`); PyTorch keeps its own.
    """
    rng = np.random.default_rng(1)
    rows = []
    for c, f, size in ((1, 16, 28), (16, 32, 12)):
        x = rng.standard_normal((BATCH, c, size, size)).astype(np.float32)
        layer = Conv2D(c, f, 5, rng=rng, dtype=np.float32)
        grad = np.ones((BATCH, f, size - 4, size - 4), dtype=np.float32)
        conv = torch.nn.Conv2d(c, f, 5)
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(layer.params["w"]))
            conv.bias.zero_()
        xt, grad_t = torch.from_numpy(x).requires_grad_(True), torch.from_numpy(grad)
        check_agree(f"Conv2D C={c}", layer.forward(x), conv(xt).detach().numpy(), rtol=1e-4, atol=1e-4)

        def ours_step(layer=layer, x=x, grad=grad):
            layer.forward(x)
            layer.backward(grad)

        def torch_step(conv=conv, xt=xt, grad=grad_t):
            xt.grad = None
            conv(xt).backward(grad)

        mine, reference = best_times([ours_step, torch_step], settings)
        rows.append(
            [f"Conv2D fwd+bwd C={c} F={f} {size}x{size} 5x5", ms(mine) + " ms", ms(reference) + " ms"]
            + [f"{mine / reference:.2f}", "-"]
        )
    return rows
