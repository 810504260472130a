"""Results pages: the city's surveys, one survey's results, two waves, the region side by side."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, g, render_template, request
from markupsafe import Markup

from portal.auth.scoping import Access, city_view, region_view
from portal.i18n import current_info
from portal.models import City, Region
from portal.results import bp, charts, page, services
from portal.results.forms import CompareForm
from portal.results.weeks import week_label


@bp.app_template_filter("isoweek")
def isoweek(day: object) -> str:
    """Format the Monday of an ISO week (a date or its ISO text) as that week, localised."""
    return week_label(day if isinstance(day, date) else date.fromisoformat(str(day)[:10]))


def _language() -> str:
    return current_info().code


@bp.get("/c/<city>/results")
@city_view(Access.REGIONAL)
def index(city: City) -> str:
    """List the city's surveys with their (suppressed) numbers of responses."""
    surveys = services.city_surveys(city)
    form = CompareForm(formdata=None)
    form.set_surveys([row["survey"] for row in surveys], _language())
    return render_template("results/index.html", city=city, surveys=surveys, form=form,
                           k=services.threshold(city))


@bp.get("/c/<city>/results/waves")
@city_view(Access.REGIONAL)
def compare(city: City) -> str:
    """Compare the subscale means of two waves (surveys) of the city."""
    surveys = [row["survey"] for row in services.city_surveys(city)]
    form = CompareForm(request.args)
    form.set_surveys(surveys, _language())
    data = None
    if request.args and form.validate():
        baseline = services.survey_in_city(city, form.baseline.data or "")
        follow_up = services.survey_in_city(city, form.follow_up.data or "")
        if baseline is None or follow_up is None:
            abort(404)
        data = services.compare_waves(baseline, follow_up, _language())
    return render_template("results/compare.html", city=city, form=form, data=data)


@bp.get("/c/<city>/results/<survey>")
@city_view(Access.REGIONAL)
def survey(city: City, survey: str) -> str:
    """Show one survey's results: weeks, distributions, subscale indices, breakdowns."""
    found = page.survey_row(city, survey)
    if found is None:
        abort(404)
    language, microdata = _language(), g.city_access >= Access.COORDINATOR
    key = page.data_key(found, language, microdata)
    title, body = page.memo_for(current_app).get(
        key, lambda: _survey_body(city, found.id, language, microdata))
    return render_template("results/survey.html", title=title, body=body)


def _survey_body(city: City, survey_id: int, language: str, microdata: bool) -> tuple:
    """Build the data, the charts and the body of a survey's results page."""
    found = services.survey_by_id(survey_id)
    if found is None:  # deleted since the first look
        abort(404)
    data = services.survey_results(found, language)
    rtl = current_info().direction == "rtl"
    svgs = {q["name"]: charts.bar_chart(q["rows"], q["label"], rtl=rtl) for q in data["questions"]}
    index_chart = charts.index_chart(data["subscales"], rtl=rtl)
    body = Markup(render_template(
        "results/_survey_body.html", city=city, survey=found, data=data, charts=svgs,
        index_chart=index_chart, can_export_microdata=microdata))
    return data["survey"]["title"], body


@bp.get("/regions/<region>/results")
@region_view
def region(region: Region) -> str:
    """The cities of a region side by side (regional coordinators of the region, admins)."""
    data = services.region_results(region, _language())
    return render_template("results/region.html", region=region, data=data,
                           chart=charts.region_chart(data, rtl=current_info().direction == "rtl"))
