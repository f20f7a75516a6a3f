"""Placeholder: filled in by notebook 04."""

__all__: list[str] = []
