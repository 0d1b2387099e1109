"""`python -m warroom` runs the command line, as the installed `warroom` does."""

from warroom.tui.cli import main

if __name__ == "__main__":
    main()
