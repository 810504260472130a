"""Surveys, in wings by purpose.

- ``answering/``: the residents' pages, their state in the signed cookie, the send;
- ``authoring/``: the coordinators' pages and services (surveys, questions, XLSForm in and out);
- ``xlsform/`` and ``expressions/``: PURE (no Flask, no database), like ``portal.analysis``;
- ``field/``: ODK Collect (OpenRosa) for enumerator devices, paper entry;
- ``demo/``: the demo survey and its synthetic answers;
- ``revision``: every authoring change bumps the survey's revision (keys the answering cache);
- ``labels``: translated names of subscales and breakdowns, shared with ``portal.results``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("surveys", __name__)

from portal.surveys import revision  # noqa: E402,F401
from portal.surveys.answering import views as answering_views  # noqa: E402,F401
from portal.surveys.authoring import flyer, question_views, views  # noqa: E402,F401
from portal.surveys.field import openrosa  # noqa: E402,F401
from portal.surveys.field import views as field_views  # noqa: E402,F401
