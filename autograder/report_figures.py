"""The class report's figures, as PNG: the totals, the pass rates, the most
frequent mistakes and the similarity scores of all pairs (matplotlib, Agg)."""
import io

from .report_data import cut

COLOURS = {"bars": "#3b6fb6", "extra": "#8c8c8c", "mistake": "#d9822b", "threshold": "#c0392b"}
# File name -> the figure's alternative text, in the report's order.
ALT = {"totals.png": "histogram of the totals", "pass_rates.png": "pass rate of each part",
       "mistakes.png": "the most frequent mistakes",
       "similarity.png": "similarity scores of all pairs"}
MOST_FREQUENT = 12                # mistakes in their figure


def _png(fig):
    """The PNG bytes of a figure, which is then closed."""
    import matplotlib.pyplot as plt
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


def _totals(stats):
    """The histogram of the totals."""
    import matplotlib.pyplot as plt
    import numpy as np
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    top = stats.max_total or 1
    step = 5 if top >= 50 else 1
    bins = np.linspace(0, top, int(round(top / step)) + 1) if top >= 2 * step else 10
    ax.hist(np.clip(stats.totals, 0, top), bins=bins, color=COLOURS["bars"], edgecolor="white")
    ax.set_xlabel(f"total (out of {top:g})")
    ax.set_ylabel("students")
    ax.set_title(f"Totals of {stats.n} students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def _pass_rates(stats):
    """Each part's pass rate, the graded parts in blue, the extra checks in grey."""
    import matplotlib.pyplot as plt
    import numpy as np
    rates_of = stats.pass_rates
    fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(rates_of) + 1.2))
    names = [f"{r.part.name} ({r.part.points} pts)" if r.part.graded else f"{r.part.name} (extra)"
             for r in rates_of]
    rates = [100.0 * r.passed / r.count if r.count else 0.0 for r in rates_of]
    colours = [COLOURS["bars"] if r.part.graded else COLOURS["extra"] for r in rates_of]
    y = np.arange(len(names))[::-1]
    ax.barh(y, rates, color=colours)
    for yi, rate in zip(y, rates):
        ax.text(min(rate + 1, 88), yi, f"{rate:.0f}%", va="center", fontsize=8)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("students who passed the part (%)")
    ax.set_title("Pass rate of each part")
    return _png(fig)


def _mistakes(ranked):
    """The most frequent mistakes: ``ranked`` is ``[(label, students)]``."""
    import matplotlib.pyplot as plt
    import numpy as np
    fig, ax = plt.subplots(figsize=(6.4, 0.4 * len(ranked) + 1.2))
    y = np.arange(len(ranked))[::-1]
    ax.barh(y, [n for _, n in ranked], color=COLOURS["mistake"])
    ax.set_yticks(y, [cut(t, 60) for t, _ in ranked], fontsize=7)
    ax.set_xlabel("students")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title("The most frequent mistakes")
    return _png(fig)


def _similarity(scores, threshold):
    """The histogram of the similarity scores (log scale) and the threshold."""
    import matplotlib.pyplot as plt
    import numpy as np
    fig, ax = plt.subplots(figsize=(6.4, 3.0))
    ax.hist(scores, bins=np.linspace(0, 1, 41), color=COLOURS["bars"])
    ax.axvline(threshold, color=COLOURS["threshold"], linestyle="--",
               label=f"threshold {threshold:g}")
    ax.set_yscale("log")
    ax.set_xlim(0, 1)
    ax.set_xlabel("similarity of a pair (share of its code found in the other)")
    ax.set_ylabel("pairs")
    ax.set_title(f"Similarity of all {len(scores)} pairs")
    ax.legend()
    return _png(fig)


def figures(stats, scores, threshold):
    """The report's figures.

    Parameters
    ----------
    stats : report_data.Stats
    scores : list of float
        The similarity score of every pair (none: no similarity figure).
    threshold : float
        The similarity threshold, marked on its figure.

    Returns
    -------
    dict
        File name -> PNG bytes, in the order of ``ALT`` (the figure of the
        mistakes only when some part was failed with a diagnosis).
    """
    import matplotlib
    matplotlib.use("Agg")
    out = {"totals.png": _totals(stats), "pass_rates.png": _pass_rates(stats)}
    ranked = [(f"{m.part.name}: {d.text}", len(d.students))
              for m in stats.mistakes for d in m.diagnoses]
    ranked.sort(key=lambda kv: -kv[1])
    if ranked:
        out["mistakes.png"] = _mistakes(ranked[:MOST_FREQUENT])
    if scores:
        out["similarity.png"] = _similarity(scores, threshold)
    return out
