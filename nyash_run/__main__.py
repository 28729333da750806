"""`python -m nyash_run` is the `nyash` command."""
from nyash_run.cli import main

main()
