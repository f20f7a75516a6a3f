"""Figures of notebook 07 (the dense layer): softmax, a whole forward pass, parameter counts.

Colours follow the series' rule (:mod:`cnnlib.plotting.style`): gray for the
digit, the signed map centred on 0 for the feature maps, ``viridis`` from 0 for
what is never negative (rectified and pooled maps, the flattened vector). The
order in which ``flatten`` reads a sample is drawn by :mod:`cnnlib.plotting.flatten`.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._validation import as_float_array, as_int, describe
from ..activations import softmax
from .flatten import _one_sample
from .style import GRAY_CMAP, add_colorbar, pixel_axes, positive_style, signed_style

__all__ = [
    "forward_pass_figure",
    "parameter_count_table",
    "softmax_bars_figure",
]


def softmax_bars_figure(logits, *, scale=1.0, class_names=None, title=None) -> Figure:
    """Bar charts of some logits (times ``scale``) and of the probabilities softmax makes of them.

    Parameters
    ----------
    logits : ndarray, shape (K,) or (1, K)
        Finite scores of K >= 2 classes.
    scale : float, default 1.0
        Every logit is multiplied by ``scale`` before softmax (``1 / scale`` is
        often called the temperature). 0 gives the uniform ``1 / K``.
    class_names : sequence of K str, optional
        Labels of the bars; default ``"0"``, ``"1"``, ...
    title : str, optional
        Title above both charts.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Two axes: the scaled logits (with the unscaled ones as dashed outlines
        when ``scale != 1``, so the stretch is visible), and the probabilities (0 to 1, each bar
        labelled with its value, a dashed line at ``1 / K``).

    Raises
    ------
    TypeError, ValueError
        If ``logits`` is not a finite numeric vector of at least 2 values, or
        ``scale`` is not a finite number, or ``class_names`` has the wrong length.

    Examples
    --------
    >>> fig = softmax_bars_figure(np.array([2.0, 1.0, 0.1]))
    >>> [ax.get_title() for ax in fig.axes]
    ['logits z', 'probabilities softmax(z)']
    >>> [ax.get_title() for ax in softmax_bars_figure(np.array([2.0, 1.0, 0.1]), scale=0.5).axes]
    ['scaled logits 0.5 · z', 'probabilities softmax(0.5 · z)']
    """
    z = _one_sample(logits, "logits", 1, "(K,) or (1, K)")
    if z.size < 2:
        raise ValueError(f"`logits` must hold at least 2 scores (one per class), got {describe(z)}")
    if not np.all(np.isfinite(z)):
        raise ValueError("`logits` must contain only finite numbers, got NaN or infinity")
    if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, (int, float, np.integer, np.floating)):
        raise TypeError(f"`scale` must be a number, got {describe(scale)}")
    if not np.isfinite(scale):
        raise ValueError(f"`scale` must be finite, got {scale}")
    k = z.size
    names = [str(i) for i in range(k)] if class_names is None else [str(name) for name in class_names]
    if len(names) != k:
        raise ValueError(f"`class_names` must have one name per class, K={k}, got {len(names)}")
    scaled = z * float(scale)
    probabilities = softmax(scaled)
    positions = np.arange(k)

    fig = Figure(figsize=(10, 3.6), layout="constrained")
    logit_ax, prob_ax = fig.subplots(1, 2)
    logit_ax.bar(positions, scaled, color=np.where(scaled >= 0, "tab:red", "tab:blue"))
    logit_ax.axhline(0, color="0.3", lw=0.8)
    limit = max(float(np.abs(scaled).max()), float(np.abs(z).max()), 1e-9) * 1.15
    name = "logits z"
    if float(scale) != 1:
        name = f"scaled logits {float(scale):g} · z"
        logit_ax.bar(positions, z, fill=False, edgecolor="0.3", ls="--", lw=1, label="z (scale 1)")
        logit_ax.legend(loc="best", fontsize=8, frameon=False)
    logit_ax.set(xticks=positions, xticklabels=names, xlabel="class", ylabel="score", title=name, ylim=(-limit, limit))
    prob_ax.bar(positions, probabilities, color=_highlight_largest(probabilities))
    prob_ax.axhline(1 / k, color="0.3", ls="--", lw=1, label=f"uniform 1/{k}")
    for i, p in enumerate(probabilities):
        prob_ax.text(i, p + 0.02, f"{p:.2f}", ha="center", va="bottom", fontsize=8)
    argument = "z" if float(scale) == 1 else f"{float(scale):g} · z"
    # the band above 1.15 is kept free for the legend, so it never hides a bar or its label
    prob_ax.set(
        xticks=positions,
        xticklabels=names,
        xlabel="class",
        ylabel="probability",
        ylim=(0, 1.3),
        yticks=np.linspace(0, 1, 6),
        title=f"probabilities softmax({argument})",
    )
    prob_ax.legend(loc="upper right", fontsize=8, frameon=False)
    if title is not None:
        fig.suptitle(str(title), fontsize=12, weight="bold")
    return fig


def _highlight_largest(probabilities) -> list[str]:
    """Bar colours: orange for the largest probability (every one of them if tied), gray for the rest."""
    top = probabilities.max()
    return ["tab:orange" if np.isclose(p, top, rtol=1e-9, atol=1e-12) else "tab:gray" for p in probabilities]


def _map_row(subfig, maps, *, style, title, colorbar_label):
    """Draw a (F, H, W) stack of maps side by side in one axes (a montage), with a colour bar.

    One image with blank gaps between the maps draws much faster than F separate axes.
    """
    n_maps, height, width = maps.shape
    gap = max(1, round(width / 6))
    montage = np.full((height, n_maps * width + (n_maps - 1) * gap), np.nan)
    for f in range(n_maps):
        left = f * (width + gap)
        montage[:, left : left + width] = maps[f]
    ax = subfig.subplots()
    colours = colormaps[style["cmap"]].with_extremes(bad="white")
    shown = ax.imshow(
        np.ma.masked_invalid(montage), cmap=colours, vmin=style["vmin"], vmax=style["vmax"], interpolation="nearest"
    )
    for f in range(n_maps):
        left = f * (width + gap)
        ax.add_patch(Rectangle((left - 0.5, -0.5), width, height, fill=False, ec="0.35", lw=0.8, clip_on=False))
    ax.set_xticks(
        [f * (width + gap) + (width - 1) / 2 for f in range(n_maps)], [f"filter {f}" for f in range(n_maps)], fontsize=8
    )
    ax.set_yticks([])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    add_colorbar(shown, ax, label=colorbar_label, shrink=0.9, aspect=12)
    subfig.suptitle(title, fontsize=11, x=0.02, ha="left")


def forward_pass_figure(image, feature_maps, rectified, pooled, flat, logits, probabilities, *, label=None) -> Figure:
    """Draw every stage of one forward pass: conv -> ReLU -> pool -> flatten -> dense -> softmax.

    Parameters
    ----------
    image : ndarray, shape (H, W) or (1, 1, H, W)
        The input digit.
    feature_maps : ndarray, shape (1, F, OH, OW) or (F, OH, OW)
        The output of the convolution (signed), F <= 16.
    rectified : ndarray, same shape as ``feature_maps``
        After ReLU (never negative).
    pooled : ndarray, shape (1, F, PH, PW) or (F, PH, PW)
        After pooling.
    flat : ndarray, shape (1, D) or (D,) with D = F * PH * PW
        After flatten.
    logits : ndarray, shape (1, K) or (K,)
        The dense layer's scores.
    probabilities : ndarray, shape (1, K) or (K,)
        After softmax.
    label : int, optional
        The true class, written in the title of the digit.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Six rows, each titled with its stage and its shape (with the batch axis
        of 1, as the layers see it): the digit (gray); the feature maps
        (the signed map centred on 0); the rectified and the pooled maps (``viridis``,
        one shared scale); the flattened vector as a strip; the logits and the
        probabilities as bar charts (dashed line at ``1 / K``).

    Raises
    ------
    TypeError, ValueError
        If an argument is not numeric or the shapes do not fit together.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> maps = rng.normal(size=(2, 4, 4))
    >>> pooled = np.maximum(maps, 0)[:, ::2, ::2]
    >>> fig = forward_pass_figure(rng.random((6, 6)), maps, np.maximum(maps, 0), pooled,
    ...                           pooled.reshape(-1), np.zeros(3), np.full(3, 1 / 3))
    >>> fig.get_suptitle()
    'One forward pass through the network'
    """
    image = as_float_array(image, "image", ndim=(2, 4), layout="(H, W) or (1, 1, H, W)")
    if image.ndim == 4:
        if image.shape[:2] != (1, 1):
            raise ValueError(f"`image` must be one grayscale image (1, 1, H, W), got {describe(image)}")
        image = image[0, 0]
    feature_maps = _one_sample(feature_maps, "feature_maps", 3, "(1, F, OH, OW) or (F, OH, OW)")
    rectified = _one_sample(rectified, "rectified", 3, "(1, F, OH, OW) or (F, OH, OW)")
    pooled = _one_sample(pooled, "pooled", 3, "(1, F, PH, PW) or (F, PH, PW)")
    flat = _one_sample(flat, "flat", 1, "(1, D) or (D,)")
    logits = _one_sample(logits, "logits", 1, "(1, K) or (K,)")
    probabilities = _one_sample(probabilities, "probabilities", 1, "(1, K) or (K,)")
    n_maps = feature_maps.shape[0]
    if n_maps > 16:
        raise ValueError(f"`feature_maps` must hold at most 16 maps to be drawn in one row, got {n_maps}")
    if rectified.shape != feature_maps.shape:
        raise ValueError(
            f"`rectified` must have the shape of `feature_maps` {feature_maps.shape}, got {rectified.shape}"
        )
    if pooled.shape[0] != n_maps:
        raise ValueError(f"`pooled` must hold one map per filter, F={n_maps}, got shape {pooled.shape}")
    if flat.size != pooled.size:
        raise ValueError(f"`flat` must hold the {pooled.size} numbers of `pooled`, got shape {flat.shape}")
    if logits.shape != probabilities.shape or logits.size < 2:
        raise ValueError(
            f"`logits` and `probabilities` must both have shape (K,) with K >= 2, "
            f"got {logits.shape} and {probabilities.shape}"
        )
    if label is not None:
        label = as_int(label, "label", minimum=0)

    f, (oh, ow), (ph, pw) = n_maps, feature_maps.shape[1:], pooled.shape[1:]
    fig = Figure(figsize=(12, 12.5), layout="constrained")
    rows = fig.subfigures(6, 1, height_ratios=[2.3, 1.55, 1.55, 1.55, 0.95, 2.6])

    digit_ax = rows[0].subplots(1, 3, width_ratios=[1, 1, 1])[1]
    for unused in rows[0].axes:
        if unused is not digit_ax:
            unused.set_axis_off()
    digit_ax.imshow(image, cmap=GRAY_CMAP)
    pixel_axes(digit_ax)
    about = "" if label is None else f", true label {label}"
    digit_ax.set_title(f"input: a digit{about}, shape (1, 1, {image.shape[0]}, {image.shape[1]})", fontsize=11)

    _map_row(
        rows[1],
        feature_maps,
        style=signed_style(feature_maps, percentile=100),
        title=f"convolution → {f} feature maps, shape (1, {f}, {oh}, {ow}): red > 0, blue < 0",
        colorbar_label="value",
    )
    shared = positive_style(vmax=max(float(rectified.max()), float(pooled.max())))
    _map_row(
        rows[2],
        rectified,
        style=shared,
        title=f"ReLU → {f} rectified maps, shape (1, {f}, {oh}, {ow}): negatives became 0",
        colorbar_label="value",
    )
    _map_row(
        rows[3],
        pooled,
        style=shared,
        title=f"max pooling → {f} pooled maps, shape (1, {f}, {ph}, {pw}): strongest value per window",
        colorbar_label="value",
    )

    strip_ax = rows[4].subplots()
    strip_ax.imshow(flat[None, :], **shared, aspect="auto", interpolation="nearest")
    per_map = ph * pw
    for m in range(1, f):
        strip_ax.axvline(m * per_map - 0.5, color="white", lw=1.5)
    strip_ax.set(yticks=[], xticks=[m * per_map for m in range(f)] + [flat.size - 1], xlabel="index in the vector")
    rows[4].suptitle(
        f"flatten → one vector, shape (1, {flat.size}) = (1, {f}·{ph}·{pw}): pooled map 0 row by row, "
        "then map 1, ... (white lines; colours as in the pooled maps)",
        fontsize=11,
        x=0.02,
        ha="left",
    )

    logit_ax, prob_ax = rows[5].subplots(1, 2)
    k = logits.size
    classes = np.arange(k)
    logit_ax.bar(classes, logits, color=np.where(logits >= 0, "tab:red", "tab:blue"))
    logit_ax.axhline(0, color="0.3", lw=0.8)
    logit_ax.set(xticks=classes, xlabel="class", ylabel="score", title=f"dense → {k} logits, shape (1, {k})")
    best = int(np.argmax(probabilities))
    prob_ax.bar(classes, probabilities, color=_highlight_largest(probabilities))
    prob_ax.axhline(1 / k, color="0.3", ls="--", lw=1, label=f"uniform 1/{k}")
    prob_ax.set(
        xticks=classes,
        xlabel="class",
        ylabel="probability",
        ylim=(0, 1.15),
        yticks=np.linspace(0, 1, 6),
        title=f"softmax → {k} probabilities; largest {probabilities[best]:.2f} for class {best}",
    )
    prob_ax.legend(loc="upper right", fontsize=9, frameon=False)
    fig.suptitle("One forward pass through the network", fontsize=14, weight="bold")
    return fig


def parameter_count_table(rows) -> str:
    """Format a table of layers, their output shapes and parameter counts, with a total line.

    Parameters
    ----------
    rows : sequence of (layer, output_shape, formula, count)
        ``layer`` and ``formula`` are str, ``output_shape`` a tuple of ints,
        ``count`` a whole number >= 0 (the learned numbers of that layer).

    Returns
    -------
    table : str
        One line per layer, aligned columns, counts with thousands separators,
        and a last line with the total.

    Raises
    ------
    TypeError, ValueError
        If a row does not have 4 items or a count is not a whole number >= 0.

    Examples
    --------
    >>> print(parameter_count_table([("ReLU", (1, 8, 26, 26), "none", 0),
    ...                              ("dense", (1, 10), "D*K + K", 13530)]))
    layer  output shape    parameters  formula
    -----  --------------  ----------  -------
    ReLU   (1, 8, 26, 26)           0  none
    dense  (1, 10)             13,530  D*K + K
    -----  --------------  ----------  -------
    total                      13,530
    """
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"`rows` must be a sequence of (layer, output_shape, formula, count), got {describe(rows)}")
    lines = []
    total = 0
    for row in rows:
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__") or len(row) != 4:
            raise ValueError(f"each row of `rows` must be (layer, output_shape, formula, count), got {describe(row)}")
        layer, shape, formula, count = row
        count = as_int(count, "count", minimum=0)
        total += count
        lines.append((str(layer), str(tuple(shape)), f"{count:,}", str(formula)))
    header = ("layer", "output shape", "parameters", "formula")
    widths = [max(len(line[i]) for line in [header, *lines, ("total", "", f"{total:,}", "")]) for i in range(4)]

    def fmt(cells):
        layer, shape, count, formula = cells
        text = f"{layer:<{widths[0]}}  {shape:<{widths[1]}}  {count:>{widths[2]}}  {formula:<{widths[3]}}"
        return text.rstrip()

    rule = fmt(tuple("-" * w for w in widths))
    return "\n".join([fmt(header), rule, *map(fmt, lines), rule, fmt(("total", "", f"{total:,}", ""))])
