"""`python -m perfcoach` behaves exactly like the `perfcoach` command."""

from perfcoach.cli.launch import main

main()
