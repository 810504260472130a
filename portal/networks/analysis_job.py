"""The network_analysis job: compute a large map's analysis in a worker and cache it.

Its own module: it needs the network services, which import portal.networks.pending to raise
AnalysisPending; keeping it out of pending.py leaves no import circle.
"""

from __future__ import annotations

from flask import g

from portal.extensions import db
from portal.jobs.runner import JobRefused, Outcome, Progress
from portal.models import City, Job
from portal.networks import services


def run_network_analysis(job: Job, progress: Progress) -> Outcome:
    """Compute and cache the analysis (the runner commits it with the done mark)."""
    city = db.session.get(City, job.city_id)
    if city is None:
        raise JobRefused("analysis_outdated")
    round_id = job.params.get("round_id")
    try:
        filters = services.filters_for(city, round_id=round_id, **job.params.get("filters", {}))
    except (services.AnalysisRequestError, TypeError) as error:
        raise JobRefused("analysis_outdated") from error
    g.analysis_inline = True
    try:
        found = services.analysis_for(city, filters)
    finally:
        g.analysis_inline = False
    db.session.flush()
    return Outcome(summary={"actors": int(found.payload["summary"]["size"]),
                            "revision": found.network_revision})
