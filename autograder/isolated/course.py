"""The course data the cases' arguments name, loaded once per supervisor."""
import os

from .wire import decode


class CourseData:
    """The course files, loaded on first use (arguments ``{"__course__": name}``).

    Parameters
    ----------
    data_dir : str
        The folder of ex4data1.mat and ex4weights.mat.
    """

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.cache = {}

    def get(self, name):
        """A copy of "X", "y", "Theta1", "Theta2" or "params" (both unrolled)."""
        if name not in self.cache:
            if name in ("X", "y"):
                self._load_examples()
            else:
                self._load_weights()
        return self.cache[name].copy()

    def _load_examples(self):
        import numpy as np
        import scipy.io
        d = scipy.io.loadmat(os.path.join(self.data_dir, "ex4data1.mat"))
        self.cache["X"] = np.ascontiguousarray(d["X"], dtype=np.float64)
        self.cache["y"] = d["y"].ravel().astype(np.int64)

    def _load_weights(self):
        import numpy as np
        import scipy.io
        w = scipy.io.loadmat(os.path.join(self.data_dir, "ex4weights.mat"))
        t1, t2 = w["Theta1"].astype(np.float64), w["Theta2"].astype(np.float64)
        self.cache.update(Theta1=t1, Theta2=t2, params=np.concatenate([t1.ravel(), t2.ravel()]))


def argument(obj, course):
    """The value of an encoded argument: a course file's array, or `decode`'s value."""
    if isinstance(obj, dict) and "__course__" in obj:
        return course.get(obj["__course__"])
    return decode(obj)
