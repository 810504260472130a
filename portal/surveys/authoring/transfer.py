"""XLSForm in and out of the database: import -> spec -> models; models -> spec -> export."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import audit
from portal.extensions import db
from portal.models import City, Survey, User
from portal.surveys import xlsform
from portal.surveys.authoring.convert import spec_from_survey, survey_from_spec
from portal.surveys.xlsform.spec import Issue

MESSAGES = {
    "not_xlsx": _l("The file is not a readable XLSForm (.xlsx, .xls or .csv)."),
    "survey_empty": _l("The survey sheet holds no question."),
    "unsupported_type": _l("the type “%(type)s” is not supported by the portal."),
    "required_expression": _l("“required” must be yes or no, not an expression."),
    "typographic_quotes": _l("the %(column)s expression uses typographic quotes; use ' or \"."),
    "invalid_expression": _l("the %(column)s expression cannot be read (%(reason)s)."),
    "unsupported_function": _l("the %(column)s uses the function “%(function)s”, which the "
                               "portal does not evaluate."),
    "unsupported_regex": _l("the %(column)s regex needs back-references or look-around, "
                            "which the portal does not run."),
    "unknown_reference": _l("the %(column)s expression refers to an unknown question "
                            "“%(name)s”."),
    "duplicate_name": _l("the name “%(name)s” is already used in row %(first_row)s."),
    "unknown_choice_list": _l("the choice list “%(list)s” holds no choice."),
    "language_unmatched": _l("the language “%(language)s” of column “%(column)s” is unknown; "
                             "write it as Name (code)."),
    "invalid_portal_column": _l("the column “%(column)s” holds an unusable value "
                                "“%(value)s”."),
    "pyxform_rejected": _l("pyxform refused the form: %(message)s"),
    "refused_repeat": _l("the repeat “%(name)s” is not supported: a repeat lists people or "
                         "things one by one (often every member of a household), which records "
                         "details of people who did not answer themselves, and such answers "
                         "cannot be shown above the disclosure threshold."),
    "refused_location": _l("the type “%(type)s” records where the resident is; the portal never "
                           "records a location, so that answers stay anonymous."),
    "refused_media": _l("the type “%(type)s” asks for a photo, a recording or a file, which can "
                        "identify the resident; the portal accepts no uploads from residents."),
    "refused_barcode": _l("the type “%(type)s” needs a phone app with a camera scanner; "
                          "residents answer in any browser, without an app."),
    "file_not_attached": _l("the choices come from the file “%(file)s”, which was not attached; "
                            "attach it (.csv) with the form."),
    "language_matched_by_name": _l("The language “%(language)s” was recognised by its name "
                                   "as %(code)s."),
    "default_language_unmatched": _l("The default language “%(value)s” is not in the form; "
                                     "%(code)s is used instead."),
    "metadata_dropped": _l("Metadata rows (%(types)s) were left out: the portal never records "
                           "such data."),
    "group_relevant_merged": _l("The skip logic of group “%(name)s” was copied to each of its "
                                "questions."),
    "column_ignored": _l("The column “%(column)s” was left out: beside columns written with "
                         "“::”, a column with one colon is not read. Name it “%(fixed)s” to keep "
                         "its texts."),
}


def describe(issue: Issue) -> str:
    """Turn a coded import issue into a translated sentence that names its row."""
    params = {k: (", ".join(map(str, v)) if isinstance(v, list) else v)
              for k, v in (issue.get("params") or {}).items()}
    template = MESSAGES.get(issue["code"])
    try:
        text = str(template) % params if template else issue["code"]
    except (KeyError, TypeError, ValueError):
        text = str(template) if template else issue["code"]
    if issue.get("row"):
        sheet = issue.get("sheet") or "survey"
        return _("Sheet %(sheet)s, row %(row)d: %(problem)s", sheet=sheet, row=issue["row"],
                 problem=text)
    return text


@dataclass
class ImportOutcome:
    """A draft survey (or None) with the translated errors and notices."""

    survey: Survey | None
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def import_survey(city: City, slug: str, data: bytes, *, name: str | None = None,
                  attachments: dict[str, bytes] | None = None,
                  actor: User | None) -> ImportOutcome:
    """Import an XLSForm (.xlsx, .xls, .csv; ``name`` tells which) as a new draft survey.

    A text without a language is in the form's default_language, else English (never the
    city's language: a form written in English stays English).
    """
    coded = import_coded(city, slug, data, name=name, attachments=attachments, actor=actor)
    return ImportOutcome(coded.survey, [describe(issue) for issue in coded.errors],
                         [describe(issue) for issue in coded.notices])


@dataclass
class CodedOutcome:
    """A draft survey (or None) with the coded issues (translated later, by `describe`)."""

    survey: Survey | None
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)


def import_coded(city: City, slug: str, data: bytes, *, name: str | None = None,
                 attachments: dict[str, bytes] | None = None,
                 actor: User | None) -> CodedOutcome:
    """Import an XLSForm as `import_survey` does; keep its issues coded (a job stores them)."""
    result = xlsform.import_xlsform(data, name=name, attachments=attachments)
    if result.spec is None:
        return CodedOutcome(None, list(result.errors), list(result.notices))
    survey = survey_from_spec(result.spec, city, slug)
    db.session.add(survey)
    db.session.flush()
    audit.record("survey.import", actor=actor, city=city, target=survey, details=slug)
    return CodedOutcome(survey, [], list(result.notices))


def export_survey(survey: Survey) -> io.BytesIO:
    """Return the survey as XLSForm .xlsx bytes in a buffer."""
    return io.BytesIO(xlsform.export_xlsform(spec_from_survey(survey)))
