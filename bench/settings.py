"""The benchmark's settings: production's (finsam/settings.py, read from the environment as in
production) with the static files collected into the benchmark's own directory, so that a run
never leaves a manifest in the project's staticfiles/."""

import os
from pathlib import Path

from finsam.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
