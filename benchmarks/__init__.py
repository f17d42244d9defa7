"""Reproducible benchmarks: ``make bench`` runs ``python -m benchmarks.run``."""
