"""The plan pages: the current plan and earlier ones, goals, activities, an owner's progress."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.scoping import Access, city_view
from portal.ids import id_arg
from portal.models import City, Plan, PlanActivity, PlanGoal
from portal.plan import bp, events, indicators, presenters, report, services, ties
from portal.plan import export as plan_export
from portal.plan.event_forms import KIND_LABELS
from portal.plan.forms import STATUS_LABELS, ActivityForm, GoalForm, PlanForm, ProgressForm
from portal.plan.messages import plan_error
from portal.plan.outcomes import OutcomeError
from portal.stakeholders.forms import options
from portal.stakeholders.spreadsheet.export import to_csv, to_xlsx


def _today() -> date:
    return date.today()


def _context(city: City) -> dict[str, Any]:
    access = g.city_access
    return {"city": city, "can_coordinate": access >= Access.COORDINATOR,
            "statuses": STATUS_LABELS, "today": _today()}


def _owners(city: City) -> dict[int, str]:
    return {u.id: u.display_name for u in services.team_users(city)}


@bp.get("/c/<city>/plan")
@city_view()
def index(city: City) -> str:
    """The city's current plan: goals, their progress and timelines, and the earlier plans."""
    plan = services.current_plan(city)
    return render_template(
        "plan/index.html", view=presenters.plan_view(plan, _today()) if plan else None,
        plans=services.plans_of(city), form=PlanForm(), owners=_owners(city), closed=False,
        **_indicator_context(city, plan), **_context(city))


def _indicator_context(city: City, plan: Plan | None) -> dict[str, Any]:
    found = indicators.compute(city, plan, _today())
    rate = "" if found.team_rate is None else format_percent(found.team_rate, "#,##0%")
    return {"ind": found, "team_rate_text": rate, "kinds": KIND_LABELS,
            **report.outcome_context(city, request.args)}


@bp.get("/c/<city>/plan/indicators.csv")
@city_view()
def indicators_file(city: City) -> Response:
    """Download the current plan's output and outcome indicators, dated, as CSV
    (the rounds compared as on the plan page: ?before=&after=)."""
    try:
        rows = report.indicator_rows(city, services.current_plan(city), _today(), request.args)
    except OutcomeError as error:
        flash(report.outcome_error(error), "error")
        return redirect(url_for("plan.index", city=city.slug))
    return Response(to_csv(rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="{city.slug}-indicators.csv"',
                             "Cache-Control": "no-store"})


@bp.post("/c/<city>/plan")
@city_view(Access.COORDINATOR)
def start(city: City) -> Response:
    """Start a new plan; the current one is kept, read-only."""
    form = PlanForm()
    if form.validate_on_submit():
        services.start_plan(city, form.title.data or "", actor=current_user)
        flash(_("The plan is started. Add its goals."), "success")
    else:
        flash(_("Enter a title for the plan."), "error")
    return redirect(url_for("plan.index", city=city.slug))


@bp.get("/c/<city>/plan/<id:plan_id>")
@city_view()
def earlier(city: City, plan_id: int) -> str | Response:
    """An earlier plan, read-only."""
    plan = services.plan_by_id(city, plan_id)
    if plan is None:
        abort(404)
    if plan.is_current:
        return redirect(url_for("plan.index", city=city.slug))
    return render_template(
        "plan/index.html", view=presenters.plan_view(plan, _today()), plans=[], form=None,
        owners=_owners(city), closed=True, **{**_context(city), "can_coordinate": False})


def _goal_or_404(city: City, goal_id: int) -> PlanGoal:
    goal = services.goal_by_id(city, goal_id)
    if goal is None:
        abort(404)
    return goal


@bp.route("/c/<city>/plan/goals/new", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def new_goal(city: City) -> str | Response:
    """Add a goal to the current plan."""
    return _goal_page(city, None)


@bp.route("/c/<city>/plan/goals/<id:goal_id>/edit", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def edit_goal(city: City, goal_id: int) -> str | Response:
    """Change a goal of the current plan."""
    return _goal_page(city, _goal_or_404(city, goal_id))


def _goal_page(city: City, goal: PlanGoal | None) -> str | Response:
    if services.current_plan(city) is None:
        flash(plan_error("no_plan"), "error")
        return redirect(url_for("plan.index", city=city.slug))
    form = GoalForm(obj=goal)
    if goal is None and request.method == "GET":
        form.position.data = len(services.goals_of_current(city)) + 1
    if form.validate_on_submit():
        services.save_goal(city, goal, form.data, actor=current_user)
        flash(_("Goal saved."), "success")
        return redirect(url_for("plan.index", city=city.slug))
    return render_template("plan/goal.html", form=form, goal=goal, **_context(city))


def _activity_or_404(city: City, activity_id: int) -> PlanActivity:
    activity = services.activity_by_id(city, activity_id)
    if activity is None:
        abort(404)
    return activity


def _activity_form(city: City, activity: PlanActivity | None) -> ActivityForm:
    form = ActivityForm(obj=activity)
    form.goal_id.choices = options((gl.id, gl.title) for gl in services.goals_of_current(city))
    form.owner_id.choices = options([("", "—"), *_owners(city).items()])
    choices = services.partner_options(city)
    kept = [p for p in (activity.partners if activity else []) if p not in choices]
    # An archived partner stays chosen (and listed) until the coordinator removes it.
    form.partners.choices = options((s.id, s.name) for s in [*choices, *kept])
    if activity is not None and request.method == "GET":
        form.partners.data = [p.id for p in activity.partners]
    return form


@bp.route("/c/<city>/plan/activities/new", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def new_activity(city: City) -> str | Response:
    """Add an activity under a goal of the current plan."""
    return _activity_page(city, None)


@bp.route("/c/<city>/plan/activities/<id:activity_id>/edit", methods=["GET", "POST"])
@city_view(Access.COORDINATOR)
def edit_activity(city: City, activity_id: int) -> str | Response:
    """Change an activity of the current plan."""
    activity = _activity_or_404(city, activity_id)
    if not activity.goal.plan.is_current:
        flash(plan_error("closed"), "error")
        return redirect(url_for("plan.activity", city=city.slug, activity_id=activity_id))
    return _activity_page(city, activity)


def _activity_page(city: City, activity: PlanActivity | None) -> str | Response:
    if not services.goals_of_current(city):
        flash(_("Add a goal to the plan first."), "error")
        return redirect(url_for("plan.index", city=city.slug))
    form = _activity_form(city, activity)
    if activity is None and request.method == "GET":
        form.goal_id.data = id_arg("goal")
    if form.validate_on_submit():
        goal = services.goal_by_id(city, form.goal_id.data or 0)
        try:
            if goal is None:
                raise services.PlanError("unknown_goal")
            saved = services.save_activity(city, goal, activity, form.values(),
                                           [p for p in form.partners.data or [] if p],
                                           actor=current_user)
        except services.PlanError as error:
            form.title.errors = [*form.title.errors, plan_error(str(error))]
        else:
            flash(_("Activity saved."), "success")
            return redirect(url_for("plan.activity", city=city.slug, activity_id=saved.id))
    return render_template("plan/activity_edit.html", form=form, activity=activity,
                           **_context(city))


def _may_update(activity: PlanActivity) -> bool:
    return services.may_update(activity, current_user, g.city_access >= Access.COORDINATOR,
                               g.city_access >= Access.MEMBER)


@bp.get("/c/<city>/plan/activities/<id:activity_id>")
@city_view()
def activity(city: City, activity_id: int) -> str:
    """An activity: its fields, its partners' ties on the map, and its progress form."""
    found = _activity_or_404(city, activity_id)
    checks = ties.check_partners(city, found)
    form = ProgressForm(obj=found) if _may_update(found) else None
    return render_template("plan/activity.html", activity=found, checks=checks,
                           missing=ties.missing_count(checks), form=form,
                           linked_events=events.events_of_activity(city, found.id),
                           can_enter=g.city_access >= Access.MEMBER, kinds=KIND_LABELS,
                           owners=_owners(city), **_context(city))


@bp.post("/c/<city>/plan/activities/<id:activity_id>/progress")
@city_view(Access.MEMBER)
def progress(city: City, activity_id: int) -> Response:
    """Change an activity's status and notes: its owner or a coordinator."""
    found = _activity_or_404(city, activity_id)
    if not _may_update(found):
        abort(403)
    form = ProgressForm()
    if form.validate_on_submit():
        services.update_progress(city, found, form.status.data or "", form.notes.data or "",
                                 actor=current_user)
        flash(_("Progress saved."), "success")
    else:
        flash(_("Choose one of the options shown."), "error")
    return redirect(url_for("plan.activity", city=city.slug, activity_id=activity_id))


@bp.get("/c/<city>/plan/export.<any(csv, xlsx):fmt>")
@city_view()
def export_file(city: City, fmt: str) -> Response:
    """Download the current plan (or an earlier one: ?plan=<id>) as CSV or XLSX."""
    wanted = id_arg("plan")
    found = services.plan_by_id(city, wanted) if wanted else services.current_plan(city)
    if found is None:
        abort(404)
    rows = plan_export.plan_table(found, _owners(city), _today())
    if fmt == "csv":
        data = to_csv(rows)
    else:
        titles = {a.id: a.title for a in events.activity_options(city)}
        try:
            table = report.indicator_rows(city, found, _today(), request.args)
        except OutcomeError as error:
            flash(report.outcome_error(error), "error")
            return redirect(url_for("plan.index", city=city.slug))
        data = to_xlsx({"plan": rows, "indicators": table,
                        "events": plan_export.events_table(events.events_of(city), titles)})
    return plan_export.download(data, fmt, f"{city.slug}-plan-{found.id}.{fmt}")
