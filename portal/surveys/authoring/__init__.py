"""Coordinators author surveys: settings, questions, translations, XLSForm in and out."""
