"""What the grader asks a supervisor to run (the file request.json)."""
import json
from dataclasses import dataclass


@dataclass
class PartRequest:
    """One part of a submission to run.

    Attributes
    ----------
    key : str
        The part's key (``scheme.Part.key``).
    dir : str
        Its scratch folder: the student's files and the provided modules,
        where its process writes results.jsonl and output.log.
    import_limit : float
        Seconds for importing the student's modules of the part.
    modules : list of str
        The student's modules imported before the cases, in this order, so
        that one that never finishes importing is named.
    cases : list of dict
        The cases to run, smallest problem first: a case's "id" and "call"
        (cases.py) with its time limit and size ("limit", "size",
        "functions", "blame", "who", "what": ``scheme.case_timing``).
    """
    key: str
    dir: str
    import_limit: float
    modules: list
    cases: list


@dataclass
class Request:
    """The parts of one submission, and how to run them.

    Attributes
    ----------
    data_dir : str
        The folder of the course files.
    output_cap : int
        Characters of a part's output kept.
    exit_seconds : float
        How long a part's process that wrote every record may take to exit.
    budget : float
        Seconds left of the submission's budget.
    hung : dict
        The functions already known to hang: name -> what the "hung" event
        said ("size", "limit", "on", "what", or "import" for a module whose
        import did not finish).
    limits : dict
        Resource limits of the parts' processes: the name of an RLIMIT_
        constant -> its value.
    cgroups : list of str
        The cgroups the supervisor joins.
    preload : list of str
        Course data to load before the first part ("X", "y", ...).
    drop_to : int or None
        The user id the student's code runs as (process mode as root).
    parts : list of PartRequest
        The parts, run in this order.
    """
    data_dir: str
    output_cap: int
    exit_seconds: float
    budget: float
    hung: dict
    limits: dict
    cgroups: list
    preload: list
    drop_to: int
    parts: list

    def to_json(self):
        """The request as JSON text (written from the fields as they are: no
        deep copy of the cases' encoded arrays first)."""
        return json.dumps(vars(self) | {"parts": [vars(part) for part in self.parts]})

    @classmethod
    def from_json(cls, text):
        """The request written by `to_json`."""
        fields = json.loads(text)
        fields["parts"] = [PartRequest(**part) for part in fields["parts"]]
        return cls(**fields)

    @classmethod
    def read(cls, path):
        """The request of the file ``path``."""
        with open(path) as f:
            return cls.from_json(f.read())
