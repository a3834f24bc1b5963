"""`python -m workflows` runs the `spbe` command."""

from .cli import main

main()
