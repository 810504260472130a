"""Resident surveys: authoring, public answering and XLSForm import/export."""
