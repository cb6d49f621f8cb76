"""The production settings, plus the benchmark's reference view (see bench/urls.py)."""

from solozere.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
