"""Helpers shared by the exercise's scripts (ex4.py, ex4_analysis.py).

Nothing here is part of the exercise: command-line options, the
"Program paused" prompt, figures (shown when there is a display, always
saved as PNG files), and the one-line message that replaces a traceback
when a function of the exercise is not implemented yet.
"""
import argparse
import os
import re
import sys
from pathlib import Path

import matplotlib
import numpy as np

ROOT = Path(__file__).resolve().parent


def _language_module():
    """ex4i18n, this folder's: imported, or loaded from its path when this
    module was itself loaded from its path, its folder not on sys.path (as
    the grader's supervisor loads it for limit_blas_threads)."""
    try:
        import ex4i18n
    except ModuleNotFoundError:
        import importlib.util
        spec = importlib.util.spec_from_file_location("ex4i18n", ROOT / "ex4i18n.py")
        ex4i18n = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ex4i18n)
    return ex4i18n


_i18n = _language_module()
LANGUAGES, N_, _, set_language = _i18n.LANGUAGES, _i18n.N_, _i18n._, _i18n.set_language
translated, translations = _i18n.translated, _i18n.translations

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
# pyplot itself is imported where a figure is made (displayData, show_figure,
# lambda_study): importing this module stays cheap for the grader, which
# loads it for limit_blas_threads.
if not _has_display() and not os.environ.get("MPLBACKEND"):
    matplotlib.use("Agg")


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
                        help=_("never wait for Enter between the steps"))
    parser.add_argument("--figures", default=str(FIGURE_DIR), metavar="DIR",
                        help=_("where to save the figures as PNG (default: %(default)s)"))
    parser.add_argument("--lang", choices=LANGUAGES,
                        help=_("the language of the messages (default: EX4_LANG, "
                               "else the system's language)"))
    if add_arguments is not None:
        add_arguments(parser)
    options, _unknown = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    options.figures = Path(options.figures)
    if options.lang is not None:
        set_language(options.lang)
    return options


def positive_int(value, name):
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


def pause(options):
    """Wait for Enter, only in a terminal and unless --no-pause was given."""
    if options.no_pause or not sys.stdin or not sys.stdin.isatty():
        return
    try:
        input(_("Program paused. Press enter to continue.") + "\n")
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
        import matplotlib.pyplot as plt
        plt.show(block=False)
        plt.pause(0.001)
    print(_("(figure saved to {path})", path=_shown_path(path)))
    return path


def _shown_path(path):
    """``path`` relative to the current folder when it is below it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


class NotImplementedYet(NotImplementedError):
    """Raised by the scripts when a step finds a function still unwritten."""


def _is_the_exercises(exc, tb):
    """True for a NotImplementedError of the exercise: raised by the scripts
    (NotImplementedYet) or by a file of this folder (an unwritten stub)."""
    if not isinstance(exc, NotImplementedError):
        return False
    if isinstance(exc, NotImplementedYet):
        return True
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    filename = tb.tb_frame.f_code.co_filename        # "<ipython-input-...>": typed code
    try:
        return (not filename.startswith("<") and Path(filename).is_file()
                and Path(filename).resolve().parent == ROOT)
    except (OSError, ValueError):
        return False


# What a stub of the release raises (release.py writes it in the release's
# language): the one-line stop shows it in the current language.
STUB_MESSAGE = N_("{function} is not implemented yet: complete {filename}")


def stub_message(function, filename):
    """A stub's message, in the current language."""
    return _(STUB_MESSAGE, function=function, filename=filename)


def _in_current_language(text):
    """``text``, when it is a stub's message in a language of the catalog,
    in the current language; any other text as it is."""
    for lang in LANGUAGES:
        pattern = re.escape(translations(lang).gettext(STUB_MESSAGE))
        pattern = (pattern.replace(re.escape("{function}"), r"(?P<function>\w+)")
                   .replace(re.escape("{filename}"), r"(?P<filename>[\w.]+)"))
        found = re.fullmatch(pattern, text)
        if found:
            return stub_message(**found.groupdict())
    return text


def _one_line(exc):
    sys.stdout.flush()                       # what was printed before comes first
    print("\n" + _("Stopped: {reason}", reason=_in_current_language(str(exc))),
          file=sys.stderr, flush=True)


def stop_quietly_on_not_implemented():
    """Show the exercise's NotImplementedError as one line, not a traceback.

    A student runs ex4.py before every function is written: the first
    unwritten one stops the script with the line it raised (which names the
    file to complete). Only the exercise's own NotImplementedError is
    shortened (raised in a file of this folder, or by the scripts); any other
    error keeps its traceback.

    In a terminal this is ``sys.excepthook``. Under IPython (Spyder's
    console, Jupyter, ``%run``) the hook is the shell's ``showtraceback``,
    which every way of running code goes through (Spyder's F5 and
    Ctrl+Enter, ``%run``, code typed at the prompt); IPython's
    ``set_custom_exc`` only sees code typed at the prompt. Calling this again
    (Spyder reloads this module on F5) replaces the hook, never stacks it.
    """
    try:
        shell = get_ipython()                         # noqa: F821 (IPython only)
    except NameError:
        shell = None
    if shell is None:
        previous = getattr(sys.excepthook, "ex4_previous", sys.excepthook)

        def hook(exc_type, exc, tb):
            if _is_the_exercises(exc, tb):
                _one_line(exc)
            else:
                previous(exc_type, exc, tb)

        hook.ex4_previous = previous
        sys.excepthook = hook
        return
    original = getattr(shell, "_ex4_original_showtraceback", None)
    if original is None:
        original = shell._ex4_original_showtraceback = shell.showtraceback

    def showtraceback(exc_tuple=None, *args, **kwargs):
        exc_type, exc, tb = exc_tuple if exc_tuple is not None else sys.exc_info()
        if exc is not None and _is_the_exercises(exc, tb):
            _one_line(exc)
            return None
        return original(exc_tuple, *args, **kwargs)

    shell.showtraceback = showtraceback


# ---------------------------------------------------------------------------
# Verdicts: does a value of the scripts match the handout, and if not, why?
# ---------------------------------------------------------------------------

# The handout's values, as printed (6 decimals).
HANDOUT_COSTS = {0: "0.287629", 1: "0.383770", 3: "0.576051"}
HANDOUT_SIGMOID_GRADIENT = "0.196612 0.235004 0.250000 0.235004 0.196612"
GRADIENT_CHECK_BOUND = 1e-9             # printed as "1e-9" in the verdicts
HANDOUT_ACCURACY = 95.3            # +-1%, after 50 iterations with lambda = 1
FMIN_CG_ACCURACY = (95.8, 96.9)    # scipy's fmin_cg, seeds 0 to 15, 50 iterations, lambda = 1

# The modelled mistakes' values at these steps: autograder/mistakes.py's
# variants, computed by ``python -m autograder release`` with the reference
# (the release ships them as numbers, never the code that computes them).
MISTAKES_FILE = ROOT / "autograder" / "handout_mistakes.json"
COST_STEPS = {0: "cost", 1: "regularized_cost", 3: "cost_lambda3"}
GRADIENT_STEPS = {0: "gradient_check", 3: "regularized_gradient_check"}
_mistakes = None


def known_mistakes(step):
    """name -> (diagnosis, value) of the modelled mistakes at ``step``, or {}.

    The diagnosis is in English in the table (the grader's words, a text of
    the catalog): :func:`_likely_mistake` shows it in the current language.
    """
    global _mistakes
    if _mistakes is None:
        try:
            import json
            _mistakes = json.loads(MISTAKES_FILE.read_text())
        except (OSError, ValueError):
            _mistakes = {}
    return {name: (text, value)
            for name, (text, value) in _mistakes.get(step, {}).items()}


def _self_check():
    return _("run python -m pytest (the self-check) for feedback part by part")


def _likely_mistake(step, found, close):
    """The diagnosis of the first modelled mistake that gives ``found``."""
    for text, value in known_mistakes(step).values():
        try:
            if close(np.asarray(found, dtype=np.float64), np.asarray(value, dtype=np.float64)):
                return _("Likely mistake: {mistake}.", mistake=translated(text))
        except (TypeError, ValueError):
            continue
    return None


def cost_verdict(J, lambda_):
    """The verdict on a cost at the course weights: the handout's, to 6 decimals?"""
    expected = HANDOUT_COSTS[lambda_]
    shown = f"{float(J):f}"
    if shown == expected:
        return _("Verdict: right, {cost} is the handout's value to the 6 printed decimals.",
                 cost=shown)
    text = _("Verdict: wrong, {cost} is not the handout's {expected}.",
             cost=shown, expected=expected)
    likely = _likely_mistake(COST_STEPS[lambda_], J,
                             lambda a, b: f"{float(a):f}" == f"{float(b):f}")
    return text + "\n" + (likely or _("(No usual mistake gives this value: {self_check}.)",
                                      self_check=_self_check()))


def sigmoid_gradient_verdict(values):
    """The verdict on sigmoidGradient([-1 -0.5 0 0.5 1])."""
    shown = " ".join(f"{v:f}" for v in np.ravel(values))
    if shown == HANDOUT_SIGMOID_GRADIENT:
        return _("Verdict: right, the handout's values to the 6 printed decimals.")
    text = _("Verdict: wrong, these are not the handout's values.")
    likely = _likely_mistake("sigmoid_gradient", values,
                             lambda a, b: a.shape == b.shape and np.allclose(a, b, atol=5e-7))
    return text + "\n" + (likely or _("(g'(z) = g(z) * (1 - g(z)), with g = sigmoid: "
                                      "0.25 at z = 0.)"))


def _debug_cost_and_gradient(lambda_):
    """nnCostFunction's (J, grad) on checkNNGradients' problem."""
    from checkNNGradients import debug_problem
    from nnCostFunction import nnCostFunction
    sizes = (3, 5, 3)                  # input_layer_size, hidden_layer_size, num_labels
    params, X, y = debug_problem(*sizes)
    J, grad = nnCostFunction(params, *sizes, X, y, lambda_)
    return float(J), np.asarray(grad, dtype=np.float64)


def gradient_check_verdict(diff, lambda_, grad=None):
    """The verdict on checkNNGradients' relative difference (below 1e-9?).

    When the check fails, the gradient on checkNNGradients' problem
    (``grad``; by default computed with nnCostFunction) is compared with the
    modelled mistakes'. With lambda = 3 the problem is the one of the
    handout's 0.576051: when no modelled mistake matches and the cost there
    is not the handout's, the cost is the culprit (the numerical gradient
    is computed from it).
    """
    if diff < GRADIENT_CHECK_BOUND:
        return _("Verdict: right, {diff} is below 1e-9: "
                 "backpropagation agrees with the numerical gradient.", diff=format(diff, ".3g"))
    text = _("Verdict: wrong, {diff} is not below 1e-9: "
             "backpropagation and the numerical gradient disagree.", diff=format(diff, ".3g"))
    likely, J = None, None
    if grad is None and (known_mistakes(GRADIENT_STEPS[lambda_]) or lambda_ == 3):
        try:
            J, grad = _debug_cost_and_gradient(lambda_)
        except Exception:                       # the student's function: no verdict from it
            J, grad = None, None
    if grad is not None:
        likely = _likely_mistake(GRADIENT_STEPS[lambda_], grad,
                                 lambda a, b: a.shape == b.shape
                                 and np.allclose(a, b, rtol=1e-6, atol=1e-9))
    if likely is None and J is not None and lambda_ == 3 and f"{J:f}" != HANDOUT_COSTS[3]:
        likely = _("Likely cause: your cost on this problem is wrong too ({cost}, the "
                   "handout's {expected}, checked below), and the numerical gradient is "
                   "computed from your cost: fix the regularised cost first (section 3.4).",
                   cost=format(J, "f"), expected=HANDOUT_COSTS[3])
    return text + "\n" + (likely or _("(No usual mistake gives this gradient: {self_check}.)",
                                      self_check=_self_check()))


def accuracy_verdict(accuracy, maxiter, lambda_):
    """The verdict on the training accuracy after fmin_cg."""
    low, high = FMIN_CG_ACCURACY
    if maxiter != 50 or lambda_ != 1:
        return _("(The handout's {handout}% is for 50 iterations with lambda = 1; "
                 "this run: {maxiter} iterations, lambda = {lambda_}.)",
                 handout=HANDOUT_ACCURACY, maxiter=maxiter, lambda_=format(lambda_, "g"))
    if accuracy >= HANDOUT_ACCURACY - 1:
        return _("Verdict: right. The handout says about {handout}% (+-1% from the "
                 "random initialisation); SciPy's fmin_cg usually lands a little higher, "
                 "at {low}-{high}% with seeds 0 to 15, so {accuracy} is fine.",
                 handout=HANDOUT_ACCURACY, low=low, high=high, accuracy=format(accuracy, "g"))
    return _("Verdict: too low, the handout says about {handout}% (+-1%) and "
             "fmin_cg usually gives {low}-{high}%. Check the gradient checks above and "
             "predictNeuralNetwork.py (labels 1..10, the largest output).",
             handout=HANDOUT_ACCURACY, low=low, high=high)


# BLAS threads: what bench/bench_scripts.py measured ----------------------------

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_threads():
    """Use one BLAS thread in this process (and in the processes it forks).

    The matrix products of this exercise are small (5000x400 by 400x25):
    a second BLAS thread saves little on an idle machine, and costs a lot
    on a busy one, where the threads of every NumPy process spin waiting
    for each other: bench/bench_scripts.py measures both, idle and busy
    (the figures: docs/benchmarks.md). The scripts (ex4.py, ex4_analysis.py
    through lambda_study) and the grader's processes (its supervisors,
    autograder/isolated/supervise.py, and the grader itself, which computes
    the expected values: autograder/course.py) call this, and nothing else
    chooses the number of BLAS threads.

    An explicit choice wins: when OPENBLAS_NUM_THREADS, OMP_NUM_THREADS or
    MKL_NUM_THREADS is set, nothing is changed. Without threadpoolctl
    (requirements.txt) nothing is changed either: it only costs speed.
    In Spyder the limit stays for the rest of the console's session,
    unless the caller restores it (lambda_study does, after an in-process
    study).

    Returns
    -------
    threadpoolctl.threadpool_limits or None
        The limit that was set (``.restore_original_limits()`` undoes it),
        or None if nothing was changed.
    """
    if any(os.environ.get(name) for name in BLAS_THREAD_VARIABLES):
        return None
    try:
        import scipy.linalg  # noqa: F401  (SciPy's own BLAS, loaded now: capped too)
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    return threadpool_limits(limits=1, user_api="blas")
