"""displayData: show 2-D data (such as images of digits) in a grid.

Machine Learning exercise 4 (Neural Networks Learning). Provided: nothing
to write here.
"""
import numpy as np


def displayData(X, example_width=None, ax=None):
    """Display the rows of ``X`` as images, in a grid.

    Each row is one image of ``example_height x example_width`` pixels,
    stored column-major (MATLAB order, as in the course's data files): it is
    reshaped with ``order='F'`` so that a digit is upright. Each image is
    divided by its own largest absolute value, so that it fills the gray
    scale [-1, 1]; the grid has ``floor(sqrt(m))`` rows and
    ``ceil(m / rows)`` columns, with 1 pixel of padding at background -1
    (black).

    Parameters
    ----------
    X : ndarray of shape (m, n), or (n,) for one image
        One image per row, n = example_height * example_width pixels.
    example_width : int, optional
        The width of each image; by default ``round(sqrt(n))`` (square
        images). ``n`` must be a multiple of it.
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure.

    Returns
    -------
    fig : matplotlib Figure
        The figure that holds the image.
    display_array : ndarray of shape (1 + rows * (height + 1), 1 + cols * (width + 1))
        The grid of images, as shown (values in [-1, 1]).

    Examples
    --------
    Show 100 random digits of the course data (X of shape (5000, 400))::

        fig, grid = displayData(X[np.random.permutation(5000)[:100]])

    and the 25 hidden units of a trained network::

        displayData(Theta1[:, 1:])
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[np.newaxis, :]
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"X must be a non-empty 2-D array (one image per row), found shape {X.shape}")
    m, n = X.shape
    if example_width is None:
        example_width = int(round(np.sqrt(n)))
    width = _positive_int(example_width, "example_width")
    if n % width != 0:
        raise ValueError(
            f"example_width must be a positive integer that divides the {n} "
            f"pixels of each row of X, found {example_width!r}")
    example_width = width
    example_height = n // example_width

    display_rows = int(np.floor(np.sqrt(m)))
    display_cols = int(np.ceil(m / display_rows))
    pad = 1
    display_array = -np.ones((pad + display_rows * (example_height + pad),
                              pad + display_cols * (example_width + pad)))

    # Copy each example into a patch of the display array.
    for k in range(m):
        j, i = divmod(k, display_cols)            # grid row j, grid column i
        top = pad + j * (example_height + pad)
        left = pad + i * (example_width + pad)
        max_val = np.max(np.abs(X[k]))
        patch = X[k].reshape(example_height, example_width, order="F")
        display_array[top:top + example_height, left:left + example_width] = \
            patch / max_val if max_val > 0 else patch

    import matplotlib.pyplot as plt           # here, so that importing is cheap
    if ax is None:
        fig, ax = plt.subplots()
    else:
        fig = ax.figure
    ax.imshow(display_array, cmap="gray", vmin=-1, vmax=1)
    ax.set_axis_off()
    return fig, display_array


def _positive_int(value, name):
    """``value`` as an int, or a ValueError naming ``name``.

    The rule for sizes and counts, the same in every module of the
    exercise: an int, a NumPy integer, or a float with a whole value (400.0,
    as MATLAB-style code gives it), at least 1. Never a bool: True is not a
    size. The message names the argument, the rule and the value found.
    """
    whole = (isinstance(value, (int, np.integer))
             or isinstance(value, (float, np.floating)) and float(value).is_integer())
    if not whole or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, found {value!r}")
    return int(value)
