"""Train notebook 08's digit network and write its weights to data/digit_cnn.npz.

The same recipe as notebook 08's training cell: ``digit_cnn_wide(seed=0)`` in float32,
Adam with a one-cycle schedule up to 4e-3, mini-batches of 64, 3 epochs over the
54,000 training digits of ``train_val_split(..., val_fraction=0.1, seed=0)``,
shuffled with seed 0. It takes about 25 s on 2 cores.

    .venv/bin/python data/build/digit_cnn.py

Training is deterministic on one machine; another build of numpy's linear algebra
rounds float32 sums differently, so a rebuild elsewhere gives slightly different
weights (and another SHA-256) with the same accuracy to within a few hundredths of
a percent. The shipped file is the one whose checksum is recorded in
cnnlib/data.py and data/README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _npz import write_npz  # noqa: E402

from cnnlib import data  # noqa: E402
from cnnlib.images import scale_pixels  # noqa: E402
from cnnlib.training import Adam, OneCycle, digit_cnn_wide, evaluate, fit  # noqa: E402

EPOCHS, BATCH, MAX_LR = 3, 64, 4e-3


def main() -> None:
    mnist = data.load_mnist()
    train_all = scale_pixels(mnist.train_images).astype(np.float32)[:, None]
    test_images = scale_pixels(mnist.test_images).astype(np.float32)[:, None]
    split = data.train_val_split(train_all, mnist.train_labels, val_fraction=0.1, seed=0)
    net = digit_cnn_wide(seed=0)
    steps = EPOCHS * -(-len(split.train_images) // BATCH)
    history = fit(
        net,
        split.train_images,
        split.train_labels,
        optimizer=Adam(net),
        schedule=OneCycle(MAX_LR, total_steps=steps),
        epochs=EPOCHS,
        batch_size=BATCH,
        seed=0,
        validation=(split.val_images, split.val_labels),
        progress=False,
    )
    accuracy = evaluate(net, test_images, mnist.test_labels)
    print(f"validation accuracy per epoch: {history.val_accuracy}; test accuracy {accuracy:.2%}")
    arrays = {name: layer.params[key] for name, layer, key in net.named_parameters()}
    digest = write_npz(ROOT / "data" / "digit_cnn.npz", arrays)
    print(f"wrote data/digit_cnn.npz, SHA-256 {digest}")


if __name__ == "__main__":
    main()
