"""Helpers shared by the exercise's scripts (ex4.py, ex4_analysis.py).

Nothing here is part of the exercise: command-line options, the
"Program paused" prompt, figures (shown when there is a display, always
saved as PNG files), and the one-line message that replaces a traceback
when a function of the exercise is not implemented yet.
"""
import argparse
import os
import sys
from pathlib import Path

import matplotlib

ROOT = Path(__file__).resolve().parent
FIGURE_DIR = ROOT / "figures"        # ignored by git

# The seed of np.random used by the scripts for the initial weights. With it,
# 50 iterations of fmin_cg with lambda = 1 reach 96.4% training accuracy
# (the handout: about 95.3%, +-1% from the random initialisation).
DEFAULT_SEED = 0


def _has_display():
    """True when figures can be shown in a window or inline."""
    if "ipykernel" in sys.modules or "spyder_kernels" in sys.modules:
        return True                    # Spyder / Jupyter: inline or Qt
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# Choose the backend before pyplot is imported: Agg (files only) without a
# display, whatever matplotlib picks otherwise. MPLBACKEND, if set, wins.
if not _has_display() and not os.environ.get("MPLBACKEND"):
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after the backend choice)


def parse_options(description, argv=None, add_arguments=None):
    """Parse the scripts' common options, tolerating unknown arguments.

    IPython and Jupyter kernels put their own arguments in ``sys.argv``
    (``-f kernel.json``...): they are ignored, so that Spyder's "Run" works.

    Parameters
    ----------
    description : str
        The script's one-line description, for ``--help``.
    argv : list of str, optional
        The arguments; by default ``sys.argv[1:]``.
    add_arguments : callable, optional
        ``add_arguments(parser)`` adds the script's own options.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--no-pause", action="store_true",
                        help="never wait for Enter between the steps")
    parser.add_argument("--figures", default=str(FIGURE_DIR), metavar="DIR",
                        help="where to save the figures as PNG (default: %(default)s)")
    if add_arguments is not None:
        add_arguments(parser)
    options, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    options.figures = Path(options.figures)
    return options


def pause(options):
    """Wait for Enter, only in a terminal and unless --no-pause was given."""
    if options.no_pause or not sys.stdin or not sys.stdin.isatty():
        return
    try:
        input("Program paused. Press enter to continue.\n")
    except EOFError:
        pass


def show_figure(fig, name, options):
    """Save ``fig`` as ``<figures>/<name>.png`` and show it without blocking.

    Returns the path of the PNG file.
    """
    options.figures.mkdir(parents=True, exist_ok=True)
    path = options.figures / f"{name}.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    if matplotlib.get_backend().lower() != "agg":
        plt.show(block=False)
        plt.pause(0.001)
    print(f"(figure saved to {_shown_path(path)})")
    return path


def _shown_path(path):
    """``path`` relative to the current folder when it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


class NotImplementedYet(NotImplementedError):
    """Raised by the scripts when a step finds a function still unwritten."""


def stop_quietly_on_not_implemented():
    """Show a NotImplementedError as one line, not as a traceback.

    A student runs ex4.py before every function is written: the first
    unwritten one stops the script with the line it raised (which names the
    file to complete), in a terminal as in Spyder/IPython.
    """
    def one_line(exc):
        print(f"\nStopped: {exc}", file=sys.stderr)

    previous = sys.excepthook

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, NotImplementedError):
            one_line(exc)
        else:
            previous(exc_type, exc, tb)

    sys.excepthook = hook
    try:
        ipython = get_ipython()                       # noqa: F821 (IPython only)
    except NameError:
        return
    ipython.set_custom_exc((NotImplementedError,),
                           lambda shell, etype, evalue, tb, tb_offset=None: one_line(evalue))


# BLAS threads: what bench/bench_scripts.py measured ----------------------------

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_threads():
    """Use one BLAS thread in this process (and in the processes it forks).

    The matrix products of this exercise are small (5000x400 by 400x25):
    a second BLAS thread saves little on an idle machine, and costs a lot
    on a busy one, where the threads of every NumPy process spin waiting
    for each other. On the project's 2-core machine, already loaded by
    other work (bench/bench_scripts.py, README "Busy machines"),
    ``python ex4.py --no-pause`` took 4.5 s with one BLAS thread and 32 s
    with two; with two more NumPy processes multiplying small matrices in
    a loop, 42 s with one and 76 s with two. The scripts (ex4.py,
    ex4_analysis.py) and the grader (autograder/child.py) call this, and
    nothing else chooses the number of BLAS threads.

    An explicit choice wins: when OPENBLAS_NUM_THREADS, OMP_NUM_THREADS or
    MKL_NUM_THREADS is set, nothing is changed. Without threadpoolctl
    (requirements.txt) nothing is changed either: it only costs speed.
    In Spyder the limit stays for the rest of the console's session.

    Returns
    -------
    bool
        True if the limit was set.
    """
    if any(os.environ.get(name) for name in BLAS_THREAD_VARIABLES):
        return False
    try:
        import scipy.linalg  # noqa: F401  (SciPy's own BLAS, loaded now: capped too)
        from threadpoolctl import threadpool_limits
    except ImportError:
        return False
    threadpool_limits(limits=1, user_api="blas")
    return True
