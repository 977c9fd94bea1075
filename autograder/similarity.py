"""Pairs of submissions whose student code is alike, for a human to look at.

Built on copydetect (a winnowing fingerprint detector, as MOSS): the code is
tokenised and filtered (every name becomes V, every string S, comments and
whitespace go), so renamed variables, changed comments and re-spaced lines
do not hide a copy; k-grams of the filtered tokens are hashed and the
fingerprints of two submissions compared.

What counts is the student's own code only:

- the lines of a student file that are lines of the release's version of
  that file (the template: signature, docstring, instructions, input checks)
  are removed first (a line diff, so a template line counts nowhere, even
  next to a student's line);
- the k-grams of every file of the release (the stubs, the provided modules)
  are boilerplate: copydetect discards them wherever they appear;
- no k-gram spans two blocks of student code (two regions of the template,
  or two files): each block is fingerprinted on its own, so a block shorter
  than k filtered characters (``g = 1 / (1 + np.exp(-z))``) never counts;
- a k-gram found in the code of more than ``max_share`` students of the
  class (``--max-share N``; by default most of the class, and at least a
  few students: :func:`max_share_for`) is boilerplate too: the lines every
  right solution writes alike (the reshaping, the regularisation, the
  unrolling) are legitimate sharing, not a sign of copying. MOSS does the
  same with its ``-m N`` ("any passage appearing in more than N programs is
  treated as if it appeared in a base file"; default 10, and -m 3 or 4
  where "one expects many very similar solutions": its submission script,
  moss.pl), Dolos with ``-m`` (a number of files) or ``-M`` (a fraction of
  them) (dodona-edu/dolos, cli/src/cli/commands/run.ts). The default is a
  share of the class rather than MOSS's fixed count so that a large group
  handing in one source (many students, whole files alike) still shows.
  The outside solutions of ``--compare-with`` are not counted, and lose
  these k-grams as well.

A pair's score is the smaller of its two shares (the share of each
submission's fingerprinted code found in the other): a short submission that
everyone writes alike does not score high against a long one, and a full
copy scores high on both sides. Nothing here says who copied whom, or that
anyone did: similar code can come from a shared source, from working
together as allowed, or by chance for short code.
"""
import difflib
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import scheme

# Measured on the synthetic class of tests/test_report.py and on
# bench/bench_report.py's fabricated class (docs/benchmarks.md): independent right
# solutions score at most about 0.3, copies with renamed variables and changed
# comments at least 0.75.
DEFAULT_THRESHOLD = 0.4
NOISE = 25                 # k: the shortest match that counts, in filtered characters
# Every k-gram is kept (winnowing window 1, copydetect's default): copydetect
# hashes with Python's hash(), salted per process, so a wider window would
# keep other k-grams in each run and the scores would change from run to run.
GUARANTEE = NOISE
# By default a k-gram in the code of more than this share of the class's
# students is ignored (Dolos's -M), and never one of at most a few students
# (MOSS's -m 3 or 4): a copy shared by that many students still shows.
MAX_SHARE_FRACTION = 0.6
MIN_MAX_SHARE = 4
SEP = "9" * 40             # between blocks: no k-gram may cover it
MAX_FILE_BYTES = 200_000   # a student file longer than this is cut (generated junk)


@dataclass
class Block:
    file: str
    first_line: int        # 1-based line number of the block in the student's file
    text: str
    start: int = 0         # offset of the block's text in the document
    end: int = 0


@dataclass
class Document:
    """One submission's student code, as copydetect fingerprints it."""
    name: str
    blocks: list
    raw: str = ""
    fingerprint: object = None
    outside: bool = False                # from --compare-with

    @property
    def size(self):
        return 0 if self.fingerprint is None else int(self.fingerprint.token_coverage)


@dataclass
class Pair:
    a: str
    b: str
    score: float          # min of the two shares
    shares: tuple         # share of a found in b, of b found in a
    tokens: int           # filtered characters in common
    slices: tuple = field(default=None, repr=False)


def release_texts():
    """file name -> the text of the release's version (stubs for the
    student files, the provided modules as they are)."""
    from .release import PROJECT_FILES, ROOT, stub_source
    texts = {}
    for name in scheme.STUDENT_FILES:
        texts[name] = stub_source((ROOT / name).read_text(encoding="utf-8"), name)
    for name in PROJECT_FILES:
        if name.endswith(".py") and (ROOT / name).exists():
            texts[name] = (ROOT / name).read_text(encoding="utf-8")
    return texts


def _key(line):
    return "".join(line.split())


def student_blocks(name, text, template=None):
    """The blocks of a file's lines that are not the template's (all of it
    when there is no template), blank lines and comment-only runs trimmed."""
    lines = text.splitlines()
    keep = [True] * len(lines)
    if template is not None:
        sm = difflib.SequenceMatcher(None, [_key(x) for x in template.splitlines()],
                                     [_key(x) for x in lines], autojunk=False)
        for block in sm.get_matching_blocks():
            for j in range(block.b, block.b + block.size):
                keep[j] = False
    blocks, current = [], None
    for i, (line, kept) in enumerate(zip(lines, keep)):
        if kept:
            if current is None:
                current = [i, []]
            current[1].append(line)
        elif current is not None:
            blocks.append(current)
            current = None
    if current is not None:
        blocks.append(current)
    out = []
    for first, block_lines in blocks:
        while block_lines and not block_lines[-1].strip():
            block_lines.pop()
        while block_lines and not block_lines[0].strip():
            block_lines.pop(0)
            first += 1
        if any(x.strip() and not x.strip().startswith("#") for x in block_lines):
            out.append(Block(name, first + 1, "\n".join(block_lines)))
    return out


def read_files(folder):
    """{file name: text} of the .py files of a submission folder (the five,
    and the student's own modules beside them)."""
    folder = Path(folder)
    files = {}
    for path in sorted(folder.glob("*.py")):
        try:
            data = path.read_bytes()[:MAX_FILE_BYTES]
        except OSError:
            continue
        files[path.name] = data.decode("utf-8", "replace")
    return files


def make_document(name, files, templates, outside=False):
    blocks = []
    for file in sorted(files, key=lambda f: (f not in scheme.STUDENT_FILES, f)):
        blocks += student_blocks(file, files[file], templates.get(file))
    raw, offset = [], 0
    for block in blocks:
        raw.append(SEP + "\n")
        offset += len(SEP) + 1
        block.start, block.end = offset, offset + len(block.text)
        raw.append(block.text + "\n")
        offset += len(block.text) + 1
    raw.append(SEP + "\n")
    return Document(name, blocks, "".join(raw), outside=outside)


def boilerplate_hashes(templates, k=NOISE):
    from copydetect import CodeFingerprint
    hashes = []
    for name, text in templates.items():
        fp = CodeFingerprint(name, k, 1, fp=io.StringIO(f"{SEP}\n{text}\n{SEP}\n"),
                             language="python")
        hashes.extend(fp.hashes)
    return np.unique(np.array(hashes, dtype=np.int64))


def fingerprint(doc, boilerplate, k=NOISE, guarantee=None):
    """copydetect's fingerprint of a document, with no k-gram over a separator."""
    from copydetect import CodeFingerprint
    from copydetect.utils import get_token_coverage
    window = max(1, (guarantee or GUARANTEE) - k + 1)
    fp = CodeFingerprint(doc.name + ".py", k, window, boilerplate=boilerplate,
                         fp=io.StringIO(doc.raw), language="python")
    seps = [m.span() for m in re.finditer(SEP, fp.filtered_code)]
    starts = np.array([s for s, _ in seps])
    ends = np.array([e for _, e in seps])

    def clean(i):             # the k-gram [i, i + k) touches no separator
        j = np.searchsorted(starts, i + k)          # separators starting before i + k
        return j == 0 or ends[j - 1] <= i

    idx = {}
    for h, positions in fp.hash_idx.items():
        kept = [i for i in positions if clean(i)]
        if kept:
            idx[h] = kept
    fp.hash_idx = idx
    fp.hashes = set(idx)
    fp.token_coverage = get_token_coverage(idx, k, len(fp.filtered_code))
    doc.fingerprint = fp
    return doc


def compare(docs, threshold=DEFAULT_THRESHOLD):
    """Every pair of documents (outside ones only against the class): a list
    of Pair sorted by decreasing score, and the scores of all the pairs."""
    from copydetect import compare_files
    pairs, scores = [], []
    for a, b in itertools.combinations(docs, 2):
        if a.outside and b.outside:
            continue
        if not a.size or not b.size:
            scores.append(0.0)
            continue
        if not (a.fingerprint.hashes & b.fingerprint.hashes):
            scores.append(0.0)
            continue
        tokens, (s1, s2), slices = compare_files(a.fingerprint, b.fingerprint)
        score = float(min(s1, s2))
        scores.append(score)
        if score >= threshold:
            pairs.append(Pair(a.name, b.name, score, (float(s1), float(s2)), int(tokens), slices))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs, scores


def max_share_for(students, max_share=None):
    """How many students may share a k-gram before it is ignored: ``max_share``
    when given (``--max-share``), else MAX_SHARE_FRACTION of the ``students``
    (their number), at least MIN_MAX_SHARE."""
    if max_share is not None:
        return int(max_share)
    return max(MIN_MAX_SHARE, int(MAX_SHARE_FRACTION * students))


def drop_common(docs, max_share, k=NOISE):
    """Remove from every document's fingerprint the k-grams found in more than
    ``max_share`` documents of the class (outside ones not counted); returns
    how many distinct k-grams were removed."""
    from copydetect.utils import get_token_coverage
    counts = {}
    for doc in docs:
        if doc.fingerprint is not None and not doc.outside:
            for h in doc.fingerprint.hashes:
                counts[h] = counts.get(h, 0) + 1
    common = {h for h, n in counts.items() if n > max_share}
    for doc in docs:
        fp = doc.fingerprint
        if fp is None or not (fp.hashes & common):
            continue
        fp.hash_idx = {h: v for h, v in fp.hash_idx.items() if h not in common}
        fp.hashes = set(fp.hash_idx)
        fp.token_coverage = get_token_coverage(fp.hash_idx, k, len(fp.filtered_code))
    return len(common)


def build_documents(submissions, outside=(), k=NOISE, max_share=None):
    """submissions: [(name, {file: text})]; outside likewise. Returns the
    fingerprinted documents, the k-grams of more than ``max_share`` students
    removed (:func:`drop_common`; None: :func:`max_share_for` the class)."""
    templates = release_texts()
    boilerplate = boilerplate_hashes(templates, k)
    docs = [make_document(n, f, templates) for n, f in submissions]
    docs += [make_document(n, f, templates, outside=True) for n, f in outside]
    for doc in docs:
        fingerprint(doc, boilerplate, k)
    drop_common(docs, max_share_for(len(submissions), max_share), k)
    return docs


def groups(pairs):
    """Connected groups of names linked by the flagged pairs, largest first."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        parent[find(p.a)] = find(p.b)
    found = {}
    for x in list(parent):
        found.setdefault(find(x), []).append(x)
    return sorted((sorted(g) for g in found.values()), key=lambda g: (-len(g), g))


# --- the side-by-side view ----------------------------------------------------------

def marked_blocks(doc, slices):
    """The side-by-side view of a document, its matched regions marked.

    Parameters
    ----------
    doc : Document
        The document (its blocks of student code).
    slices : tuple of two arrays or None
        copydetect's slices of the matched regions, offsets into ``doc.raw``.

    Returns
    -------
    list of (str, list)
        ``[(file, [(line number, [(text, matched)])])]``: each line of each
        block of student code as segments of text, ``matched`` true inside
        a matched region. A matched region over several lines is one segment
        per line (possibly empty at a line's start or end); two blocks of one
        file are separated by the line ``(None, [("...", False)])``.
    """
    spans = [] if slices is None or not len(slices[0]) else \
        sorted(zip(slices[0].tolist(), slices[1].tolist()))
    out = []
    for block in doc.blocks:
        numbered = [(block.first_line + i, line)
                    for i, line in enumerate(_marked_lines(block, spans))]
        if out and out[-1][0] == block.file:
            out[-1][1].append((None, [("...", False)]))
            out[-1][1].extend(numbered)
        else:
            out.append((block.file, numbered))
    return out


def _marked_lines(block, spans):
    """The lines of a block as ``[[(text, matched)]]`` (see marked_blocks)."""
    marks = [(max(s, block.start) - block.start, min(e, block.end) - block.start)
             for s, e in spans if s < block.end and e > block.start]
    pieces, pos = [], 0
    for s, e in marks:
        s = max(s, pos)
        if e <= s:
            continue
        pieces += [(block.text[pos:s], False), (block.text[s:e], True)]
        pos = e
    pieces.append((block.text[pos:], False))
    lines = [[]]
    for text, matched in pieces:
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append([])
            if part or matched:
                lines[-1].append((part, matched))
    return lines


def matched_text(doc, slices):
    """The matched regions of a document as plain text with their file and
    lines (for report.md)."""
    if slices is None or not len(slices[0]):
        return []
    out = []
    for s, e in sorted(zip(slices[0].tolist(), slices[1].tolist())):
        for block in doc.blocks:
            if s < block.end and e > block.start:
                a, b = max(s, block.start) - block.start, min(e, block.end) - block.start
                line = block.first_line + block.text.count("\n", 0, a)
                out.append((block.file, line, block.text[a:b]))
    return out
