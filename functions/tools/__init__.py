"""The operator's tools: the CLI (``python -m functions``), the deploy, ``init`` of the spreadsheets, the import."""
