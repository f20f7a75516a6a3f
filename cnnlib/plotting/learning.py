"""Placeholder: filled in by the notebook that uses it."""

__all__: list[str] = []
