"""Authoring services for questions and translations: add, edit, move, remove, translate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal import audit
from portal.extensions import db
from portal.i18n import normalise
from portal.models import Choice, Question, Survey, User
from portal.surveys.authoring.services import QUESTION_TEXTS, SurveyError, response_count
from portal.surveys.expressions import ExpressionError, parse, references
from portal.surveys.expressions.parser import UNSUPPORTED_REGEX

LIKERT_POINTS = (
    _l("Strongly disagree"), _l("Disagree"), _l("Neither agree nor disagree"), _l("Agree"),
    _l("Strongly agree"),
)
STRUCTURE = ("name", "qtype", "section", "required", "relevant", "constraint_expr", "min_value",
             "max_value", "dont_know", "prefer_not", "demographic")


def likert_choices(languages: list[str]) -> list[Choice]:
    """Return the five agreement points, labelled from the UI catalogs where one exists."""
    choices = []
    for index, text in enumerate(LIKERT_POINTS):
        label = {}
        for code in languages:
            if normalise(code):
                with force_locale(normalise(code)):
                    label[code] = str(text)
        choices.append(Choice(position=index, name=str(index + 1), label=label, value=index + 1))
    return choices


def parse_choice_lines(text: str) -> list[tuple[str, str]]:
    """Read 'name | text' lines; a line without '|' uses a numbered name."""
    pairs = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, label = line.partition("|")
        if not sep:
            name, label = str(number), name
        pairs.append((name.strip(), label.strip()))
    return pairs


def _check_expression(survey: Survey, expr: str | None, own: str) -> None:
    """Refuse an expression that does not parse or reads an unknown question."""
    if not expr:
        return
    try:
        node = parse(expr)
    except ExpressionError as exc:
        unsupported = exc.code == UNSUPPORTED_REGEX
        raise SurveyError("regex" if unsupported else "expression") from exc
    known = {q.name for q in survey.questions} | {own}
    if references(node) - known:
        raise SurveyError("expression_reference")


def _locked(survey: Survey) -> bool:
    """Return True when responses exist: the structure may no longer change."""
    return response_count(survey) > 0


def save_question(survey: Survey, question: Question | None, data: dict[str, Any], *,
                  actor: User | None) -> Question:
    """Add a question (question=None) or change one from the form data (default language)."""
    lang = survey.default_language
    for field in ("relevant", "constraint_expr"):
        _check_expression(survey, data.get(field), data["name"])
    if any(q.name == data["name"] and q is not question for q in survey.questions):
        raise SurveyError("duplicate_name")
    changes_structure = question is None or any(
        getattr(question, f) != data.get(f) for f in STRUCTURE)
    if changes_structure and _locked(survey):
        raise SurveyError("has_responses")
    if question is None:
        question = Question(position=len(survey.questions))
        survey.questions.append(question)
    for field in STRUCTURE + ("subscale", "reverse"):
        setattr(question, field, data.get(field))
    for field in ("label", "hint", "section_label"):
        question_text = dict(getattr(question, field) or {})
        question_text[lang] = (data.get(field) or "").strip()
        setattr(question, field, {k: v for k, v in question_text.items() if v})
    _save_choices(survey, question, data.get("choices") or "")
    db.session.flush()
    audit.record("survey.question",
                 actor=actor, city=survey.city, target=question, details=question.name)
    return question


def _save_choices(survey: Survey, question: Question, text: str) -> None:
    """Replace a question's choices, keeping translations of choices whose name stays."""
    if question.qtype == "likert5":
        if len(question.choices) != len(LIKERT_POINTS):
            question.choices[:] = likert_choices(survey.languages)
        return
    if question.qtype not in ("single", "multi"):
        question.choices[:] = []
        return
    pairs = parse_choice_lines(text)
    if not pairs or len({name for name, _ in pairs}) != len(pairs):
        raise SurveyError("choices")
    old = {c.name: c for c in question.choices}
    new = []
    for position, (name, label) in enumerate(pairs):
        choice = old.get(name) or Choice(name=name, label={})
        choice.position, choice.label = position, {**choice.label, survey.default_language: label}
        new.append(choice)
    if {c.name for c in new} != set(old) and old and _locked(survey):
        raise SurveyError("has_responses")
    question.choices[:] = new


def delete_question(survey: Survey, question: Question, *, actor: User | None) -> None:
    """Remove a question while the survey has no responses."""
    if _locked(survey):
        raise SurveyError("has_responses")
    survey.questions.remove(question)
    for position, other in enumerate(survey.questions):
        other.position = position
    audit.record("survey.question_delete", actor=actor, city=survey.city, target=survey,
                 details=question.name)
    db.session.flush()


def move_question(survey: Survey, question: Question, step: int) -> None:
    """Move a question one place up (-1) or down (+1)."""
    ordered = list(survey.questions)
    index = ordered.index(question)
    target = index + step
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered):
        other.position = position
    survey.questions[:] = ordered
    db.session.flush()


def text_slots(survey: Survey) -> list[tuple[str, Any, str]]:
    """Return every translatable text as (key, owner, field): the translation form's rows."""
    slots: list[tuple[str, Any, str]] = [("s-title", survey, "title"),
                                         ("s-consent", survey, "consent")]
    for question in survey.questions:
        for field in QUESTION_TEXTS:
            slots.append((f"q{question.id}-{field}", question, field))
        for choice in question.choices:
            slots.append((f"c{choice.id}", choice, "label"))
    default = survey.default_language
    return [s for s in slots if (getattr(s[1], s[2]) or {}).get(default)]


@dataclass(frozen=True)
class HintCoverage:
    """The hints of one language: how many of the default language's it has, and strays."""

    done: int  # hints of the default language that exist in this language too
    total: int  # hints in the default language
    elsewhere: int  # hints in neither: residents reading this language see none of them


def hint_coverage(survey: Survey, language: str) -> HintCoverage:
    """Count the hints a resident reading ``language`` sees (hers, else the default's)."""
    default = survey.default_language
    done = total = elsewhere = 0
    for question in survey.questions:
        hint = {k: v for k, v in (question.hint or {}).items() if (v or "").strip()}
        if default in hint:
            total += 1
            done += language in hint
        elif hint and language not in hint:
            elsewhere += 1
    return HintCoverage(done, total, elsewhere)


def save_translations(survey: Survey, language: str, form: dict[str, str], *,
                      actor: User | None) -> int:
    """Store the texts of one language from the translation form; return how many are set."""
    if language not in survey.languages:
        raise SurveyError("language")
    count = 0
    for key, owner, field in text_slots(survey):
        value = (form.get(key) or "").strip()[:4000]
        texts = {k: v for k, v in dict(getattr(owner, field) or {}).items() if k != language}
        if value:
            texts[language] = value
            count += 1
        setattr(owner, field, texts)
    audit.record("survey.translate", actor=actor, city=survey.city, target=survey, details=language)
    db.session.flush()
    return count
