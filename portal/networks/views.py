"""Network pages: the coordination map, its data and SVG, the gaps report, heatmap, comparison."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.auth.scoping import city_view
from portal.i18n import current_info
from portal.ids import id_arg
from portal.models import City
from portal.networks import bp, coattendance, etags, presenters, raster, sentences, services, svg
from portal.networks.api import request_error
from portal.networks.comparing import comparison_view
from portal.networks.forms import FilterForm, coattendance_shown, colouring, filter_form
from portal.networks.mapdata import actor_detail, centrality_note, map_data, memo_for
from portal.networks.services import AnalysisRequestError, Filters
from portal.plan import events as plan_events
from portal.plan import links as plan_links
from portal.stakeholders import rounds

INLINE_SVG_UP_TO = 400  # above this the no-JS map is an <img> of the SVG endpoint (faster page)
EXPORTS = ("network.graphml", "network.gexf", "network.json", "stakeholders.csv", "ties.csv")


def _parse_filters(city: City) -> tuple[Filters, tuple[str, ...]]:
    """Return the filters and the names of those refused (left out of the filters).

    A round that is not the city's is 404, like its other ids.
    """
    args = request.args.copy()
    refused: list[str] = []
    while True:
        try:
            return services.parse_filters(city, args), tuple(refused)
        except AnalysisRequestError as error:
            if error.field == "round":
                abort(404)
            refused.append(error.field)
            args.pop(error.field)


def _page_filters(city: City) -> tuple[FilterForm, Filters, int]:
    """Return the filter form, the filters and the page's status.

    A kind, sector or frequency the map does not have is a form error: the page shows the
    map without that filter, with 400.
    """
    filters, refused = _parse_filters(city)
    form = filter_form(city, request.args, filters, refused)
    return form, filters, 400 if refused else 200


def _filters(city: City) -> Filters:
    """Return the filters of a page without a form; 400 for a value the map does not have."""
    filters, refused = _parse_filters(city)
    if refused:
        abort(400)
    return filters


def _locale() -> str:
    return str(get_locale())


def _map_title(city: City, analysis: dict[str, Any]) -> str:
    s = analysis["summary"]
    return _("Coordination map of %(city)s: %(actors)s, %(ties)s", city=city.name,
             actors=ngettext("%(num)d actor", "%(num)d actors", s["size"]),
             ties=ngettext("%(num)d tie", "%(num)d ties", s["ties"]))


def _derived(city: City, filters: Filters, what: str, build: Any) -> Any:
    """Return a view of the cached analysis, memoised per network revision and language.

    On a hit the analysis itself is not even loaded, which keeps big maps fast.
    """
    key = services.analysis_key(city, filters)
    return memo_for(current_app).get((what, key, city.name, _locale()),
                                     lambda: build(services.analysis_for(city, filters).payload))


def _map_svg(city: City, filters: Filters, colour: str = "sector") -> Any:
    """Return the full map SVG, actors coloured by sector or by working group."""
    def build(analysis: dict[str, Any]) -> Any:
        fills = presenters.group_fills(analysis) if colour == "group" else None
        return svg.map_svg(analysis, title=_map_title(city, analysis), fills=fills)

    return _derived(city, filters, f"svg-{colour}", build)


def _with_coattendance(city: City, filters: Filters, drawn: Any) -> Any:
    """Return the map SVG with the co-attendance layer drawn under the actors, when asked."""
    if not coattendance_shown(request.args):
        return drawn
    layer = svg.coattendance_layer(services.analysis_for(city, filters).payload,
                                   plan_events.coattendance(city))
    text = str(drawn)
    at = text.find('<g stroke-linejoin="round">')  # the actors: ties drawn before them
    return Markup(text[:at] + layer + text[at:]) if at >= 0 else drawn


def _page_bundle(city: City, filters: Filters) -> dict[str, Any]:
    """Return what the map page shows, computed once per analysis and language."""
    def build(analysis: dict[str, Any]) -> dict[str, Any]:
        return {"figures": presenters.summary_figures(analysis),
                "gaps": presenters.gap_lists(analysis), "nodes": presenters.by_name(analysis),
                "groups": presenters.working_groups(analysis),
                "title": _map_title(city, analysis),
                "pairs": [(x["source"], x["target"], x["reason"]) for x in analysis["suggestions"]],
                "unconnected": presenters.unconnected_ids(analysis),
                "spof": presenters.spof_ids(analysis),
                "centrality": centrality_note(analysis)}

    return _derived(city, filters, "page", build)


def _stakeholder_link(city: City) -> str:
    """Return the URL of a stakeholder's page with "{id}" in place of its id (for the map JS)."""
    return url_for("stakeholders.show", city=city.slug, sid=987654321).replace("987654321",
                                                                               "{id}")


def _exports(city: City, filters: Filters) -> list[tuple[str, str]]:
    """Return (label, URL) of every download; the network files follow the chosen round."""
    args: dict[str, Any] = {"round": filters.round_id} if filters.round_id else {}
    links = [(what.split(".")[1].upper() if what.startswith("network") else what,
              url_for("stakeholders.export_file", city=city.slug, what=what, **args))
             for what in EXPORTS]
    links.append(("SVG", url_for("networks.map_svg", city=city.slug, download=1,
                                 **filters.query())))
    links.append(("PNG", url_for("networks.map_png", city=city.slug, **filters.query())))
    return links


@bp.get("/c/<city>/map")
@city_view()
def map(city: City) -> tuple[str, int]:  # noqa: A001
    """The coordination map: interactive with JS; SVG and tables without it or in print."""
    form, filters, status = _page_filters(city)
    colour = colouring(request.args)
    bundle = _page_bundle(city, filters)
    focus, focus_page = presenters.focused(bundle["nodes"], id_arg("focus"))
    table = presenters.actor_rows(bundle["nodes"], request.args.get("page", focus_page, type=int),
                                  presenters.TABLE_PAGE, presenters.group_numbers(bundle["groups"]))
    inline = len(bundle["nodes"]) <= INLINE_SVG_UP_TO
    return render_template(
        "networks/map.html", city=city, form=form, filters=filters, figures=bundle["figures"],
        gaps=bundle["gaps"], groups=bundle["groups"], table=table, colour=colour,
        sectors=presenters.sector_styles(), levels=presenters.level_styles(),
        map_svg=_with_coattendance(city, filters, _map_svg(city, filters, colour))
        if inline else None, coattendance=coattendance_shown(request.args),
        map_title=bundle["title"], exports=_exports(city, filters), focus=focus,
        stakeholder_link=_stakeholder_link(city),
        data_url=url_for("networks.map_data", city=city.slug, **filters.query()),
        detail_url=url_for("networks.actor_detail", city=city.slug, sid=987654321,
                           **filters.query()).replace("987654321", "{id}"),
        centrality=bundle["centrality"],
        svg_url=url_for("networks.map_svg", city=city.slug, colour=colour,
                        coattendance="1" if coattendance_shown(request.args) else None,
                        **filters.query()),
        plan=plan_links.add_to_plan(city, bundle["pairs"], bundle["unconnected"],
                                    bundle["spof"]),
    ), status


@bp.get("/c/<city>/map.json", endpoint="map_data")
@city_view()
def map_data_view(city: City) -> Response | WerkzeugResponse:
    """The compact JSON of the interactive map (no contact fields); 400 like the API."""
    try:
        filters = services.parse_filters(city, request.args)
    except AnalysisRequestError as error:
        return request_error(error)
    etag = etags.tag("map.json", city, filters)
    unchanged = etags.not_modified(etag)
    if unchanged is not None:
        return unchanged
    return etags.memoised_body(
        etag, lambda: _derived(city, filters, "json", lambda a: _compact(map_data(a))),
        "application/json")


@bp.get("/c/<city>/map/actors/<int:sid>.json", endpoint="actor_detail")
@city_view()
def actor_detail_view(city: City, sid: int) -> Response | WerkzeugResponse:
    """One actor's measures and flags, for the map's panel (filtered like the map); 404 if the
    actor is not on this city's map."""
    try:
        filters = services.parse_filters(city, request.args)
    except AnalysisRequestError as error:
        return request_error(error)
    etag = etags.tag("actor", city, filters, sid)
    unchanged = etags.not_modified(etag)
    if unchanged is not None:
        return unchanged
    found = _derived(city, filters, "details", actor_detail).get(sid)
    if found is None:
        abort(404)
    return etags.tagged(Response(_compact(found), mimetype="application/json"), etag)


def _compact(data: dict[str, Any]) -> str:
    """Return short JSON with <, > and & escaped, so it is safe even if sniffed as HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@bp.get("/c/<city>/map.svg")
@city_view()
def map_svg(city: City) -> Response:
    """The map as a standalone SVG file (for the no-JS page of a large city and for download)."""
    filters = _filters(city)
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + str(_with_coattendance(city, filters,
                                     _map_svg(city, filters, colouring(request.args)))))
    headers = {"Cache-Control": "private"}
    if request.args.get("download"):
        headers["Content-Disposition"] = f'attachment; filename="{city.slug}-map.svg"'
    return Response(body, mimetype="image/svg+xml", headers=headers)


@bp.get("/c/<city>/map.png")
@city_view()
def map_png(city: City) -> Response:
    """The map as a PNG drawn on the server (no JavaScript needed), as a download."""
    filters = _filters(city)
    colour = colouring(request.args)
    # Attendance is not in the network revision: the memo key names it when it is drawn.
    pairs = coattendance.attendance(city) if coattendance_shown(request.args) else None

    def build(analysis: dict[str, Any]) -> bytes:
        fills = presenters.group_fills(analysis) if colour == "group" else None
        met = None if pairs is None else [(t.source, t.target, t.events)
                                          for t in coattendance.layer(analysis, pairs, set())]
        return raster.map_png(analysis, fills, met)

    layer = "" if pairs is None else f"-met-{coattendance.fingerprint(pairs)}"
    body = _derived(city, filters, f"png-{colour}{layer}", build)
    return Response(body, mimetype="image/png", headers={
        "Cache-Control": "private",
        "Content-Disposition": f'attachment; filename="{city.slug}-map.png"'})


@bp.get("/c/<city>/report")
@city_view()
def report(city: City) -> str:
    """The coordination gaps report, formatted for printing (A4)."""
    filters = _filters(city)
    analysis = services.analysis_for(city, filters).payload
    return render_template(
        "networks/report.html", city=city, round=filters.round, today=format_date(None, "long"),
        figures=presenters.summary_figures(analysis), gaps=presenters.gap_lists(analysis, None),
        groups=presenters.working_groups(analysis),
        map_svg=_map_svg(city, filters), sectors=presenters.sector_styles(),
        levels=presenters.level_styles(), filters=filters,
    )


@bp.get("/c/<city>/heatmap")
@city_view()
def heatmap(city: City) -> tuple[str, int]:
    """Sector × sector: observed against expected ties, empty pairs marked, with a table."""
    form, filters, status = _page_filters(city)
    analysis = services.analysis_for(city, filters).payload
    view = presenters.heatmap_rows(analysis)
    picture = svg.heatmap_svg(view, title=_("Ties between sectors in %(city)s", city=city.name),
                              rtl=current_info().direction == "rtl")
    pairs = [sentences.sector_pair(p["a"], p["b"], p["expected"])
             for p in analysis["summary"]["missing_sector_pairs"]]
    return render_template("networks/heatmap.html", city=city, form=form, view=view,
                           picture=picture, pairs=pairs, filters=filters), status


@bp.get("/c/<city>/compare")
@city_view()
def compare(city: City) -> tuple[str, int]:
    """What changed between two rounds, with small before/after maps, filtered like the map."""
    city_rounds = rounds.rounds_of(city)
    first, second = id_arg("a"), id_arg("b")
    form, filters, status = _page_filters(city)
    if len(city_rounds) < 2:
        return render_template("networks/compare.html", city=city, rounds=city_rounds,
                               result=None, form=form, filters=filters), status
    by_id = {r.id: r for r in city_rounds}  # newest first: by date, then id
    later = by_id.get(second or 0) or rounds.current_round(city) or city_rounds[0]
    earlier = by_id.get(first or 0) or rounds.previous_round(city, later) or next(
        r for r in city_rounds if r.id != later.id)  # the current round is the first one
    before, after = rounds.in_time_order(earlier, later)
    a, b = before.id, after.id  # earlier first: a comparison never runs backwards
    result = comparison_view(services.comparison(city, a, b, **filters.chosen))
    return render_template("networks/compare.html", city=city, rounds=city_rounds,
                           result=result, a=a, b=b, form=form, filters=filters), status
