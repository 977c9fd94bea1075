#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image
# (Ubuntu with python3), from the folder of the unpacked zip (/autograder/source).
# Written by `python -m autograder gradescope`.
set -euo pipefail
cd "$(dirname "$0")"

if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends python3 python3-pip
    # The student's code runs in a bubblewrap sandbox where bubblewrap can
    # start one (the grader falls back to plain processes otherwise).
    apt-get install -y --no-install-recommends bubblewrap \
        || echo "setup.sh: bubblewrap not installed; the grader will use plain processes"
fi
# Newer images mark the system Python as externally managed (PEP 668).
python3 -m pip install --no-cache-dir -r requirements.txt \
    || python3 -m pip install --no-cache-dir --break-system-packages -r requirements.txt
python3 -c "import numpy, scipy.io, scipy.optimize; print('numpy', numpy.__version__)"
