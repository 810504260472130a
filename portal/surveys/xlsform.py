"""XLSForm (KoboToolbox / ODK) import and export for portal surveys.

``import_xlsform(path_or_bytes)`` -> ImportResult(spec | None, errors, notices);
``export_xlsform(spec)`` -> .xlsx bytes. Issue codes are documented in ``xlsform_codes``.
"""

from __future__ import annotations

from portal.surveys import xlsform_codes as codes
from portal.surveys.spec import ImportResult, Issue, Survey
from portal.surveys.xlsform_export import export_xlsform
from portal.surveys.xlsform_import import import_xlsform

__all__ = ["ImportResult", "Issue", "Survey", "codes", "export_xlsform", "import_xlsform"]
