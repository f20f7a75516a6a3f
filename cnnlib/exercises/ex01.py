"""Placeholder: filled in by notebook 01."""

__all__: list[str] = []
