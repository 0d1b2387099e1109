"""The warroom App, its screens and styles, and the `warroom` command line."""
