"""Placeholder: filled in by notebook 03."""

__all__: list[str] = []
