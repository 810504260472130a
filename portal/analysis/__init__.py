"""Coordination-gap analysis of stakeholder networks: pure Python and NetworkX, no Flask."""
