"""XLSForm (KoboToolbox / ODK) import and export for portal surveys.

``import_xlsform(path_or_bytes)`` -> ImportResult(spec | None, errors, notices);
``export_xlsform(spec)`` -> .xlsx bytes. Issue codes are documented in ``xlsform_codes``.
"""

from __future__ import annotations

from portal.surveys.xlsform import codes
from portal.surveys.xlsform.export import export_xlsform
from portal.surveys.xlsform.importing import import_xlsform
from portal.surveys.xlsform.spec import ImportResult, Issue, Survey

__all__ = ["ImportResult", "Issue", "Survey", "codes", "export_xlsform", "import_xlsform"]
