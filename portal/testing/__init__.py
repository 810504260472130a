"""Support for tests and benchmarks only: nothing in the portal imports it.

``fake``: synthetic survey responses (fixed seed, bulk loads) for the results tests and
benchmarks/results_bench.py.
"""
