"""The `chancery` console command: Django's manage.py for this project."""

import os
import sys

# Hyphenated spellings of commands whose Django names need an underscore.
ALIASES = {"bench-data": "bench_data", "setup-office": "setup_office"}


def main() -> None:
    """Run a Django management command with Chancery's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chancery.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
