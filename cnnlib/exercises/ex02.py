"""Placeholder: filled in by notebook 02."""

__all__: list[str] = []
