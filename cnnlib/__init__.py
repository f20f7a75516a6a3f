"""cnnlib: the small, tested numpy package behind "CNNs from the pixels up".

Images are (H, W) arrays, batches are NCHW (N, C, H, W), filters are
(F, C, KH, KW). Every public function validates its arguments and raises a
``ValueError`` / ``TypeError`` that names the argument, what was expected and
what came in.
"""

from . import data as data  # the modules: cnnlib.data.load_mnist(), ...
from . import images as images
from . import kernels as kernels
from . import shapes as shapes
from .activations import relu, softmax
from .conv import conv2d, convolve1d, convolve2d, correlate2d, correlate2d_naive, im2col
from .dense import dense, flatten
from .images import rgb_to_gray, scale_pixels
from .pooling import avg_pool2d, max_pool2d, sum_pool2d
from .shapes import output_size, pad2d, receptive_field

__version__ = "0.1.0"

__all__ = [
    "avg_pool2d",
    "conv2d",
    "convolve1d",
    "convolve2d",
    "correlate2d",
    "correlate2d_naive",
    "dense",
    "flatten",
    "im2col",
    "max_pool2d",
    "output_size",
    "pad2d",
    "receptive_field",
    "relu",
    "rgb_to_gray",
    "scale_pixels",
    "softmax",
    "sum_pool2d",
]
