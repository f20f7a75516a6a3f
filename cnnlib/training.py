"""A network of layers, two optimizers, a learning-rate schedule, and the loop that trains it on mini-batches.

Training is deterministic: the initial weights come from the layers' ``rng``
and the shuffling from ``seed``, so the same seed gives the same weights, the
same loss curve and the same accuracy, bit for bit, on the same machine.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from ._validation import as_float_array, as_int
from .layers import Conv2D, Dense, Flatten, MaxPool2D, NonFiniteError, ReLU, sharing_a_second_thread
from .losses import SoftmaxCrossEntropy, as_labels
from .network import Sequential
from .optimizers import SGD as SGD  # cnnlib.training.SGD and Adam, beside fit
from .optimizers import Adam as Adam
from .progress import progress_bar
from .schedules import OneCycle as OneCycle  # cnnlib.training.OneCycle, beside fit

# BLAS threads while fit trains. The matrix products of a mini-batch are small: on 2 cores, one
# thread each trained digit_cnn_wide as fast as two on an idle machine, and 2-4x faster when other
# processes kept the cores busy (two threads then wait for each other at every product). The layers
# use a second core their own way (cnnlib._threads): Conv2D hands a helper thread half of the batch's
# images to lay out and multiply, and in backward dL/dw and part of dL/dx; max pooling half the images.
FIT_BLAS_THREADS = 1


@contextlib.contextmanager
def training_threads():
    """The threads ``fit`` trains with: BLAS on ``FIT_BLAS_THREADS``, the layers sharing a second thread."""
    with threadpool_limits(limits=FIT_BLAS_THREADS, user_api="blas"), sharing_a_second_thread():
        yield


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite: the steps were too large."""


def digit_cnn(seed=0, dtype=np.float32) -> Sequential:
    """The small CNN of notebook 08 for 28x28 digits (5,258 parameters).

    conv 8 3x3 -> ReLU -> max pool 2 -> conv 16 3x3 -> ReLU -> max pool 2 -> flatten -> dense 10:
    (N, 1, 28, 28) -> (N, 8, 26, 26) -> (N, 8, 13, 13) -> (N, 16, 11, 11) -> (N, 16, 5, 5) -> (N, 400) -> (N, 10).

    Examples
    --------
    >>> digit_cnn().forward(np.zeros((2, 1, 28, 28))).shape
    (2, 10)
    """
    return _two_conv_cnn((8, 16), 3, seed, dtype)


def digit_cnn_wide(seed=0, dtype=np.float32) -> Sequential:
    """A wider CNN for 28x28 digits that reaches 99% on the test digits in a few epochs (18,378 parameters).

    conv 16 5x5 -> ReLU -> max pool 2 -> conv 32 5x5 -> ReLU -> max pool 2 -> flatten -> dense 10:
    (N, 1, 28, 28) -> (N, 16, 24, 24) -> (N, 16, 12, 12) -> (N, 32, 8, 8) -> (N, 32, 4, 4) -> (N, 512) -> (N, 10).
    Twice the filters of :func:`digit_cnn`, each seeing 5x5 instead of 3x3; He-initialised, biases 0.
    Trained with Adam, a :class:`OneCycle` schedule up to 4e-3 and batches of 64 for 3 epochs on the
    54,000 training digits, it classifies over 99% of the 10,000 test digits correctly.

    Examples
    --------
    >>> net = digit_cnn_wide()
    >>> net.forward(np.zeros((2, 1, 28, 28))).shape, net.parameter_count()
    ((2, 10), 18378)
    """
    return _two_conv_cnn((16, 32), 5, seed, dtype)


def _two_conv_cnn(filters, kernel_size, seed, dtype) -> Sequential:
    """conv -> ReLU -> max pool 2, twice, then flatten -> dense 10, for (N, 1, 28, 28) digits."""
    rng = np.random.default_rng(seed)
    first, second = filters
    side = ((28 - kernel_size + 1) // 2 - kernel_size + 1) // 2  # of the maps after the second pooling
    return Sequential(
        Conv2D(1, first, kernel_size, rng=rng, dtype=dtype),
        ReLU(dtype=dtype),
        MaxPool2D(2, dtype=dtype),
        Conv2D(first, second, kernel_size, rng=rng, dtype=dtype),
        ReLU(dtype=dtype),
        MaxPool2D(2, dtype=dtype),
        Flatten(dtype=dtype),
        Dense(second * side * side, 10, rng=rng, dtype=dtype),
    )


@dataclass
class History:
    """What a run of :func:`fit` measured.

    Per epoch: the mean training ``loss`` and ``accuracy`` (over the epoch, while the weights
    changed), ``val_accuracy`` when validation data was given, and ``seconds``, the time spent
    training up to the end of the epoch (validation not counted). Per step: ``batch_loss``, the
    loss of every mini-batch. ``best_epoch``: the epoch (counted from 0) whose weights the network
    holds at the end when ``fit`` ran with ``restore_best=True``, else None.
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)
    best_epoch: int | None = None


def fit(
    network,
    images,
    labels,
    *,
    optimizer,
    epochs=1,
    batch_size=32,
    seed=0,
    validation=None,
    progress=True,
    schedule=None,
    restore_best=False,
) -> History:
    """Train ``network`` on mini-batches of shuffled ``(images, labels)``.

    Parameters
    ----------
    network : Sequential
        Ends with K scores per image.
    images : ndarray, shape (N, C, H, W)
    labels : ndarray of int, shape (N,)
    optimizer : SGD or Adam
        Built on the same ``network``.
    epochs, batch_size : int
    seed : int
        Seeds the shuffling, so a run can be repeated exactly.
    validation : (images, labels), optional
        Evaluated after every epoch.
    progress : bool
        Show a progress bar per epoch (:func:`cnnlib.progress.progress_bar`: in a notebook, one line
        redrawn in place, so a stored notebook shows it finished).
    schedule : callable, optional
        ``step -> lr``, e.g. :class:`OneCycle`: sets ``optimizer.lr`` before every step
        (``step`` counts from 0 over all epochs; a ``total_steps`` attribute must cover them all).
    restore_best : bool
        Early stopping after the fact: keep a copy of the weights after each epoch whose validation
        accuracy is the best so far, and put the best back at the end (needs ``validation``).

    Raises
    ------
    TrainingDiverged
        If the loss becomes NaN or infinite (the learning rate is too large).
    """
    images = as_float_array(images, "images", ndim=4, layout="(N, C, H, W)", dtype=np.result_type(images, np.float32))
    if not np.isfinite(images).all():
        raise ValueError("`images` must contain only finite numbers, got NaN or infinity")
    epochs = as_int(epochs, "epochs", minimum=1)
    batch_size = as_int(batch_size, "batch_size", minimum=1)
    rng = np.random.default_rng(as_int(seed, "seed", minimum=0))
    labels = as_labels(labels, len(images), np.iinfo(np.int64).max)  # the class count is checked by the loss
    _check_schedule(schedule, epochs * -(-len(images) // batch_size))
    if restore_best and validation is None:
        raise ValueError("`restore_best=True` needs `validation` data: the best epoch is the best on validation")
    plan = _Plan(optimizer, epochs, batch_size, rng, validation, progress, schedule, restore_best)
    with training_threads():
        return _train(network, images, labels, plan)


@dataclass(frozen=True)
class _Plan:
    """How :func:`fit` trains, its arguments validated (``rng`` made from ``seed``)."""

    optimizer: object
    epochs: int
    batch_size: int
    rng: np.random.Generator
    validation: tuple | None
    progress: bool
    schedule: object
    restore_best: bool


def _train(network, images, labels, plan: _Plan) -> History:
    """The loop of :func:`fit`."""
    optimizer, schedule, batch_size = plan.optimizer, plan.schedule, plan.batch_size
    loss_layer, history = SoftmaxCrossEntropy(), History()
    n, batches = len(images), -(-len(images) // batch_size)
    step, seconds, best = 0, 0.0, None
    for epoch in range(plan.epochs):
        started = time.perf_counter()
        order = plan.rng.permutation(n)
        total_loss = correct = 0.0
        bar = progress_bar(batches, f"epoch {epoch + 1}/{plan.epochs}", enabled=plan.progress)
        for b in range(batches):
            index = order[b * batch_size : (b + 1) * batch_size]
            batch_labels = labels[index]
            # the data was checked above, so NaN or infinity inside means the weights blew up
            with np.errstate(over="ignore", invalid="ignore"):
                try:
                    scores = network.forward(images[index])
                    loss = loss_layer.forward(scores, batch_labels)
                except NonFiniteError:
                    loss = float("nan")
                if not np.isfinite(loss):
                    bar.close()
                    raise TrainingDiverged(_diverged(loss, epoch, b, optimizer.lr, schedule))
                network.backward(loss_layer.backward(), input_gradient=False)
                if schedule is not None:
                    optimizer.lr = schedule(step)
                optimizer.step()
                step += 1
            total_loss += loss * len(index)
            correct += (scores.argmax(axis=1) == batch_labels).sum()
            history.batch_loss.append(loss)
            bar.set_postfix(loss=f"{total_loss / min(n, (b + 1) * batch_size):.3f}")  # the epoch's mean so far
            bar.update()
        bar.close()
        seconds += time.perf_counter() - started
        history.seconds.append(seconds)
        history.loss.append(total_loss / n)
        history.accuracy.append(float(correct / n))
        if plan.validation is not None:
            history.val_accuracy.append(evaluate(network, *plan.validation))
            if plan.restore_best and (best is None or history.val_accuracy[-1] > max(history.val_accuracy[:-1])):
                best = [layer.params[key].copy() for _, layer, key in network.named_parameters()]
                history.best_epoch = epoch
    if plan.restore_best:
        for (_, layer, key), value in zip(network.named_parameters(), best, strict=True):
            layer.params[key][...] = value
    return history


def _diverged(loss, epoch, batch, lr, schedule) -> str:
    """What to say when the loss became NaN or infinite."""
    where = f"training diverged: the loss became {loss} in epoch {epoch + 1}, batch {batch + 1}"
    where += ", so the steps are too large."
    if schedule is None:
        return f"{where} Try a smaller learning rate than lr={lr:g} (e.g. {lr / 10:g})."
    return (
        f"{where} The schedule had set lr={lr:g} for that step: try a schedule whose largest rate is smaller "
        f"(e.g. a tenth of it)."
    )


def _check_schedule(schedule, steps):
    """A schedule must be callable and, if it says how many steps it has, have enough for the run."""
    if schedule is None:
        return
    if not callable(schedule):
        raise TypeError(f"`schedule` must be a callable step -> learning rate (e.g. OneCycle), got {schedule!r}")
    total = getattr(schedule, "total_steps", None)
    if total is not None and total < steps:
        raise ValueError(
            f"`schedule` must cover every step of the run: it has total_steps={total}, but the run makes "
            f"{steps} steps (epochs x batches per epoch)"
        )


def evaluate(network, images, labels, batch_size=500) -> float:
    """Fraction of ``images`` whose predicted class (highest score) equals ``labels``."""
    batch_size = as_int(batch_size, "batch_size", minimum=1)
    correct, checked = 0, None
    for start in range(0, len(images), batch_size):
        scores = network.forward(images[start : start + batch_size])
        if checked is None:
            checked = as_labels(labels, len(images), scores.shape[1])
        correct += int((scores.argmax(axis=1) == checked[start : start + batch_size]).sum())
    return correct / len(images)
