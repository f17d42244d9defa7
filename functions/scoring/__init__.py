"""Scoring of employees per period: a pure pandas core, DataFrames in and DataFrames out.

``components`` computes the four components (hasil kerja, responsivitas, kepuasan,
kedisiplinan) and the days behind them; ``total`` joins them per employee, renormalising the
weights over the components that have data, and compares a period with the one before.
"""
