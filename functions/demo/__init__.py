"""The demo city on an empty store (``python -m functions demo``, and ``make run`` the first time): eight units of
Semarang, 64 employees with supervisors and SKP targets, four weeks of reports, surveys and complaints. Seeded
generators, so every run gives the same city."""
