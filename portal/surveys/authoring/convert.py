"""The bridge between the survey spec (portal.surveys.xlsform.spec) and the database models."""

from __future__ import annotations

from typing import Any

from portal.i18n import normalise
from portal.models import Choice, City, Question, Survey
from portal.surveys.xlsform import spec as specs

TEXT_FIELDS = ("label", "hint", "section_label", "constraint_message")


def portal_code(code: str) -> str:
    """Map an XLSForm language code to the portal's spelling (sr-Cyrl -> sr, sr-Latn -> sr_Latn)."""
    return normalise(code) or code


def _texts(texts: dict[str, str] | None) -> dict[str, str]:
    """Re-key a text dict by portal codes, dropping empty texts."""
    return {portal_code(k): v.strip() for k, v in (texts or {}).items() if v and v.strip()}


def question_from_spec(item: specs.Question, position: int,
                       demographic: str | None = None) -> Question:
    """Build an unsaved Question (with its choices) from a spec question."""
    question = Question(
        position=position, name=item["name"], qtype=item["type"], section=item["section"],
        required=bool(item["required"]), relevant=item["relevant"] or None,
        constraint_expr=item["constraint"] or None, min_value=item["min"], max_value=item["max"],
        subscale=item["subscale"] or None, reverse=bool(item["reverse"]),
        dont_know=bool(item["dont_know"]), prefer_not=bool(item["prefer_not"]),
        demographic=demographic, calculation=item.get("calculation") or None,
        choice_filter=item.get("choice_filter") or None, step=item.get("step"),
        section_one_page=bool(item.get("section_one_page", True)),
        **{name: _texts(item[name]) for name in TEXT_FIELDS},  # type: ignore[literal-required]
    )
    for index, choice in enumerate(item["choices"]):
        value = index + 1 if item["type"] == "likert5" else None
        question.choices.append(Choice(position=index, name=choice["name"],
                                       label=_texts(choice["label"]), value=value,
                                       filters=dict(choice.get("filters") or {})))
    return question


def survey_from_spec(spec: specs.Survey, city: City, slug: str, *, wave: str = "",
                     consent: dict[str, str] | None = None,
                     demographics: dict[str, str] | None = None) -> Survey:
    """Build an unsaved draft Survey from a spec; arguments override its consent/demographics."""
    languages = list(dict.fromkeys(portal_code(code) for code in spec["languages"]))
    default = portal_code(spec["default_language"])
    if default not in languages:
        languages.insert(0, default)
    survey = Survey(city_id=city.id, slug=slug, status="draft", wave=wave, languages=languages,
                    default_language=default, title=_texts(spec["title"]),
                    consent=_texts(spec.get("consent") if consent is None else consent))
    survey.city = city
    for position, item in enumerate(spec["questions"]):
        key = (demographics.get(item["name"]) if demographics is not None
               else item.get("demographic"))
        survey.questions.append(question_from_spec(item, position, key))
    return survey


def spec_from_survey(survey: Survey) -> specs.Survey:
    """Return the spec of a survey (for XLSForm export and copies)."""
    questions = []
    for question in survey.questions:
        item = specs.new_question(
            question.name, question.qtype,  # type: ignore[arg-type]
            section=question.section, required=question.required, relevant=question.relevant,
            constraint=question.constraint_expr, min=_bound(question, question.min_value),
            max=_bound(question, question.max_value), subscale=question.subscale,
            reverse=question.reverse, dont_know=question.dont_know,
            prefer_not=question.prefer_not, demographic=question.demographic,
            choices=[_choice(c) for c in question.choices],
            calculation=question.calculation, choice_filter=question.choice_filter,
            step=_bound(question, question.step), section_one_page=question.section_one_page,
            **{name: dict(getattr(question, name)) for name in TEXT_FIELDS},
        )
        questions.append(item)
    return {"form_id": survey.slug.replace("-", "_"), "title": dict(survey.title),
            "consent": dict(survey.consent or {}),
            "default_language": survey.default_language, "languages": list(survey.languages),
            "questions": questions, "notices": []}


def _choice(choice: Choice) -> specs.Choice:
    """Return a choice of the spec, with its filter columns when it has any."""
    item: specs.Choice = {"name": choice.name, "label": dict(choice.label)}
    if choice.filters:
        item["filters"] = dict(choice.filters)
    return item


def _bound(question: Question, value: float | None) -> Any:
    """Return a bound as an int for integer questions."""
    if value is None:
        return None
    whole = question.qtype == "integer" or (question.qtype == "range" and all(
        v is None or float(v).is_integer()
        for v in (question.min_value, question.max_value, question.step)))
    return int(value) if whole and float(value).is_integer() else value
