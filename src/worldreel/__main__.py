"""`python -m worldreel` is the same as the `worldreel` command."""

from worldreel.cli import main

main(prog_name="worldreel")
