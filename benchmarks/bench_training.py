"""Training the notebook-08 network: cnnlib against the same network in PyTorch on the CPU.

Both sides train at float32 (PyTorch's default, what a learner would pick
instead) on the same images, in the same batches (32, in the same order), with
Adam at lr 2e-3. The target is one epoch within 3x of PyTorch; the layer row
times one forward + backward of a Conv2D.
"""

from __future__ import annotations

import time

import numpy as np

from cnnlib import data
from cnnlib.images import scale_pixels
from cnnlib.layers import Conv2D
from cnnlib.training import Adam, digit_cnn, fit

from .timing import Settings, Verdict, best_times, check_agree, judge, ms, print_table

LIMIT = 3.0
BATCH = 32


def _torch_network(torch):
    nn = torch.nn
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 8, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 10),
    )


def _torch_epoch(torch, network, images, labels, order):
    optimizer = torch.optim.Adam(network.parameters(), lr=2e-3)
    loss_function = torch.nn.CrossEntropyLoss()
    for start in range(0, len(order), BATCH):
        index = order[start : start + BATCH]
        optimizer.zero_grad()
        loss_function(network(images[index]), labels[index]).backward()
        optimizer.step()


def run(settings: Settings) -> list[Verdict]:
    """Time one (partial) epoch on each side and a Conv2D forward+backward; return the epoch verdict."""
    try:
        import torch
    except ImportError:
        print("\n4. training vs PyTorch: SKIPPED, torch is not installed (`.venv/bin/pip install torch==2.13.0`).")
        return [Verdict("training epoch / torch float32", None, LIMIT, "torch is not installed")]

    mnist = data.load_mnist()
    n = 1_600 if settings.quick else 12_800
    images = scale_pixels(mnist.train_images[:n])[:, None].astype(np.float32)
    labels = mnist.train_labels[:n]
    order = np.random.default_rng(0).permutation(n)

    start = time.perf_counter()
    network = digit_cnn(seed=0)
    fit(network, images, labels, optimizer=Adam(network, lr=2e-3), batch_size=BATCH, seed=0, progress=False)
    ours = time.perf_counter() - start

    torch_images, torch_labels = torch.from_numpy(images), torch.from_numpy(labels)
    start = time.perf_counter()
    _torch_epoch(torch, _torch_network(torch), torch_images, torch_labels, torch.from_numpy(order))
    theirs = time.perf_counter() - start
    epoch_ratio = ours / theirs

    rows = [
        [
            f"epoch of {n} digits, batch {BATCH}",
            f"{ours:.2f} s",
            f"{theirs:.2f} s",
            f"{epoch_ratio:.2f}",
            judge(epoch_ratio, LIMIT),
        ]
    ]
    rng = np.random.default_rng(1)
    for c, f, size in ((1, 8, 28), (8, 16, 13)):
        x = rng.standard_normal((BATCH, c, size, size)).astype(np.float32)
        layer = Conv2D(c, f, 3, rng=rng, dtype=np.float32)
        grad = np.ones((BATCH, f, size - 2, size - 2), dtype=np.float32)
        conv = torch.nn.Conv2d(c, f, 3)
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
            [
                f"Conv2D fwd+bwd C={c} F={f} {size}x{size}",
                ms(mine) + " ms",
                ms(reference) + " ms",
                f"{mine / reference:.2f}",
                "-",
            ]
        )
    print_table(
        f"4. training the notebook-08 CNN vs PyTorch, float32, Adam lr 2e-3 (target: epoch ratio <= {LIMIT:g})",
        ["what", "cnnlib", "torch", "ratio", "target"],
        rows,
    )
    return [Verdict("training epoch / torch float32", epoch_ratio, LIMIT, f"{n} digits")]
