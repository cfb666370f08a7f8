"""`python -m perfcoach` behaves exactly like the `perfcoach` command."""

from perfcoach.cli.app import main

main()
