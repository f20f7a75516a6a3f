"""Placeholder: filled in by notebook 09."""

__all__: list[str] = []
