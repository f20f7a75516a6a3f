"""Interactive widgets for the notebooks, one module per topic, all built on :class:`FigureExplorer`.

Every builder returns a :class:`~cnnlib.widgets.explorer.FigureExplorer` (a
``VBox`` whose controls are attributes) and never calls ``display()``: the
notebook shows it by making it the last expression of a cell, and tests drive
it by setting ``value`` on its controls and reading what changed. Every public
name of the topic modules is available as ``cnnlib.widgets.<name>``.
"""

from .convolution1d import *  # noqa: F403
from .convolution2d import *  # noqa: F403
from .dense_layer import *  # noqa: F403
from .draw import *  # noqa: F403
from .environment_check import *  # noqa: F403
from .explorer import *  # noqa: F403
from .features import *  # noqa: F403
from .images import *  # noqa: F403
from .learning import *  # noqa: F403
from .pooling import *  # noqa: F403
from .receptive_field import *  # noqa: F403
from .relu import *  # noqa: F403
from .stride_padding import *  # noqa: F403
