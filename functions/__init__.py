"""Pantau Kinerja: performance monitoring for the civil servants (ASN) of a city.

The package holds the application: settings, the sheet schema, the store backends,
signed personal links, intake of reports, the local web app and the operator CLI.
Entry points for Google Cloud Functions live in ``main.py`` at the repository root.
"""

__version__ = "0.1.0"
