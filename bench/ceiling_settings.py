"""Chancery's settings with the benchmark URLconf (bench.ceiling_urls); for bench_web only."""

from chancery.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ceiling_urls"
