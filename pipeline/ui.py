"""The terminal: one console and one kind of progress bar for every long step."""
from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console(stderr=False, highlight=False)


def progress(enabled: bool = True) -> Progress:
    """A bar with a count and the elapsed time; invisible when `enabled` is false (tests, the web app)."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, disable=not enabled, transient=True)
