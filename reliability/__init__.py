"""The reliability suite of issue #14: scripted load, kills, hostile input and backups.

Run with ``python -m reliability [--short]`` (or ``make reliability`` / ``make
reliability-short``). It starts its own gunicorn servers on 127.0.0.1 against a fresh SQLite
file and a fresh PostgreSQL database, prints one line per check and exits non-zero on any
loss, duplicate or response >= 500. Not collected by pytest (not under tests/, no test_*.py).
"""
