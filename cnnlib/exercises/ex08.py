"""Placeholder: filled in by notebook 08."""

__all__: list[str] = []
