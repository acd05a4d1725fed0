"""How `pgmt apply` talks: plan lines, warnings and summaries, on stderr.

On a terminal (stderr is a tty and `NO_COLOR` is unset or empty) lines carry emoji and
colour; otherwise the same words without them, so logs and pipes get plain text.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import click

from pgmt.engine import Step


@dataclass(frozen=True)
class Style:
    """Emoji and colour, or plain text."""

    fancy: bool

    @classmethod
    def detect(cls) -> Style:
        return cls(fancy=sys.stderr.isatty() and not os.environ.get("NO_COLOR"))

    def emoji(self, symbol: str) -> str:
        """`symbol` and a space on a terminal, nothing otherwise."""
        return f"{symbol} " if self.fancy else ""

    def paint(self, text: str, colour: str, bold: bool = False) -> str:
        return click.style(text, fg=colour, bold=bold) if self.fancy else text

    def say(self, text: str = "") -> None:
        click.echo(text, err=True, color=self.fancy)


def changes(count: int) -> str:
    return f"{count} change" if count == 1 else f"{count} changes"


def step_titles(steps: list[Step], verbose: bool = False) -> list[str]:
    """One title a step; a step that would read the same as the one before it says what
    it adds: a table's `ALTER TABLE t ENABLE ROW LEVEL SECURITY` after its `CREATE TABLE`
    reads `Create table t (enable row level security)`, anything else shows its SQL."""
    titles, previous = [], None
    for step in steps:
        title = step_title(step, verbose)
        if previous is not None and _what(step) == _what(previous):
            title += _follow_on(step)
        titles.append(title)
        previous = step
    return titles


def _follow_on(step: Step) -> str:
    statement = " ".join(step.sql.split())
    kind = step.object_kind.replace("_", " ").upper()
    prefix = f"ALTER {kind} {step.object_name} "
    rest = statement[len(prefix):] if statement.upper().startswith(prefix.upper()) else ""
    # Keywords only (no names, literals or numbers): readable as words.
    if rest and all(word.isalpha() and word.isupper() for word in rest.split()):
        return f" ({rest.lower()})"
    return f": {statement[:72]}{'...' if len(statement) > 72 else ''}"


def _what(step: Step) -> tuple[str, str, str]:
    return step.action, step.object_kind, step.object_name


def step_title(step: Step, verbose: bool = False) -> str:
    """`Drop view public.daily_stats`, plus why and what it risks:
    `(depends on function public.calculate_score(integer))` in verbose mode, and
    `[data loss]` (every hazard in verbose mode: `[blocking lock]`, `[table rewrite]`)."""
    title = f"{step.action.capitalize()} {step.object_kind.replace('_', ' ')} {step.object_name}"
    if verbose and step.forced_by:
        kind, _, name = step.forced_by.partition(":")
        title += f" (depends on {kind.replace('_', ' ')} {name})" if name \
            else f" (depends on {kind})"
    hazards = [h for h in step.hazards if verbose or h == "data_loss"]
    if hazards:
        title += f" [{', '.join(h.replace('_', ' ') for h in hazards)}]"
    return title
