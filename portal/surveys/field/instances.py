"""Read a submitted XForm instance into answers, with the checks of the web form.

ODK Collect sends the instance as XML: the survey's form id on its root element, one element
per question (inside one element per group), and ``meta/instanceID`` ("uuid:…"), which the
portal takes as the response's UUID. Every value is read as the web form reads it
(``answers.parse_value``: choice lists, number bounds, text length), then the skip logic,
constraints and required answers are checked in page order; the first problem refuses the
whole instance. What the portal never keeps is dropped before anything is read: the whole
``meta`` block but its instanceID, and ODK's metadata questions (start, end, deviceid,
username, phonenumber…), which the portal's own XForm never asks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from flask_babel import gettext as _

from portal.surveys.answering.answers import (
    MSG_REQUIRED,
    Value,
    by_name,
    calculated,
    check_constraint,
    expression_value,
    is_relevant,
    parse_value,
)
from portal.surveys.answering.flow import check_all
from portal.surveys.answering.pages import NOT_ASKED, QuestionLike, SurveyLike, pages_of
from portal.surveys.answering.store import valid_uuid

# XLSForm metadata types (and the names forms usually give them): never stored, never read.
METADATA = frozenset({"start", "end", "today", "deviceid", "subscriberid", "simserial",
                      "phonenumber", "username", "email", "audit", "start-geopoint",
                      "background-geopoint", "instanceName", "uuid", "__version__",
                      "_version_", "formhub"})
MAX_ELEMENTS = 2000  # an instance of the largest survey has a few hundred; more is an attack
_CLOCK = re.compile(r"\d{2}:\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class Refused(ValueError):
    """The instance cannot be stored; the message says why, in the enumerator's language."""


@dataclass
class Instance:
    """What a submitted instance holds once the metadata is dropped."""

    form_id: str
    instance_id: str | None
    values: dict[str, str] = field(default_factory=dict)  # question name -> text sent
    dropped: list[str] = field(default_factory=list)  # metadata names left out


def _local(tag: str) -> str:
    """Return a tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def read_xml(data: bytes) -> Instance:
    """Parse an instance (defusedxml: no entities, no external references); keep what counts."""
    try:
        root = ElementTree.fromstring(data)
    except Exception as error:  # defusedxml raises its own errors and ParseError
        raise Refused(_("The submission is not a readable XForm instance.")) from error
    if sum(1 for _element in root.iter()) > MAX_ELEMENTS:
        raise Refused(_("The submission is too large."))
    instance = Instance(form_id=root.get("id", ""), instance_id=None)
    _walk(root, instance, top=True)
    return instance


def _walk(parent: Element, instance: Instance, *, top: bool = False) -> None:
    """Collect the question values under an element; drop metadata."""
    for child in parent:
        name = _local(child.tag)
        if top and name == "meta":
            for item in child:
                if _local(item.tag) == "instanceID":
                    instance.instance_id = (item.text or "").strip()
                else:
                    instance.dropped.append(_local(item.tag))
            continue
        if name in METADATA:
            instance.dropped.append(name)
            continue
        if len(child):
            _walk(child, instance)
            continue
        if name in instance.values:
            raise Refused(_("The submission repeats the field “%(name)s”.", name=name))
        instance.values[name] = (child.text or "").strip()


def response_uuid(instance: Instance) -> str:
    """Return the response UUID of the instance's ``uuid:…`` instanceID, or refuse it."""
    text = instance.instance_id or ""
    found = valid_uuid(text[5:] if text.startswith("uuid:") else text)
    if found is None:
        raise Refused(_("The submission has no valid instanceID."))
    return found


def _as_raw(question: QuestionLike, text: str) -> list[str]:
    """Turn what ODK Collect sends for a question into what the web form would send."""
    if question.qtype in ("single", "multi", "likert5"):
        by_choice_name = {c.name: c for c in question.choices}
        raw = []
        for name in text.split() if question.qtype == "multi" else [text]:
            choice = by_choice_name.get(name)
            if choice is None:
                return ["-"]  # not one of the choices: parse_value says so
            raw.append(str(choice.value if question.qtype == "likert5" and choice.value
                           is not None else choice.id))
        return raw
    if question.qtype == "time" and _CLOCK.match(text):
        return [text[:5]]  # ODK sends 10:30:00.000+01:00; the portal keeps hours and minutes
    if question.qtype == "datetime" and _MOMENT.match(text):
        return [text[:16]]
    return [text]


def answers_of(survey: SurveyLike, instance: Instance, language: str) -> dict[str, Value]:
    """Return the instance's answers, checked as the web form checks them, or refuse them."""
    values = dict(instance.values)
    names = by_name(survey, {})
    answers: dict[str, Value] = {}
    for page in pages_of(survey):
        for question in page.questions:
            text = values.pop(question.name, "")
            if question.qtype in NOT_ASKED:
                if question.qtype == "calculate":  # computed again, never taken as sent
                    names[question.name] = calculated(question, names)
                continue
            if not is_relevant(question, names):
                if text:
                    raise _refused(question, _("This question is not asked with these "
                                               "answers."))
                continue
            value, error = (parse_value(question, _as_raw(question, text), language, names)
                            if text else (None, None))
            if error is None and value is None and question.required:
                error = str(MSG_REQUIRED)
            if error is None and value is not None:
                error = check_constraint(question, value, names, language)
            if error is not None:
                raise _refused(question, error)
            if value is not None:
                answers[str(question.id)] = value
                names[question.name] = expression_value(question, value)
    unknown = sorted(name for name, text in values.items() if text)
    if unknown:
        raise Refused(_("The submission holds fields the survey does not have: %(names)s.",
                        names=", ".join(unknown)))
    checked = check_all(survey, answers, language)  # the send's own check, as for the web
    if checked.missing_page is not None or any(key not in checked.answers for key in answers):
        raise Refused(_("The answers do not pass the survey's checks."))
    if not checked.answers:
        raise Refused(_("The submission answers no question."))
    return checked.answers


def _refused(question: QuestionLike, problem: str) -> Refused:
    """Name the question (by its XLSForm name, as ODK Collect shows it) and the problem."""
    return Refused(_("%(name)s: %(problem)s", name=question.name, problem=problem))
