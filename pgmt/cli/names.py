"""Qualified names as PostgreSQL prints them (`format('%I.%I')`), taken apart."""

from __future__ import annotations


def split_qualified(qualified: str) -> tuple[str, str]:
    """`public."My Table"` -> ("public", "My Table"): split at the first dot outside quotes;
    ("", name) when there is no schema."""
    quoted = False
    for i, char in enumerate(qualified):
        if char == '"':
            quoted = not quoted
        elif char == "." and not quoted:
            return unquote(qualified[:i]), unquote(qualified[i + 1:])
    return "", unquote(qualified)


def unquote(name: str) -> str:
    if len(name) >= 2 and name.startswith('"') and name.endswith('"'):
        return name[1:-1].replace('""', '"')
    return name
