"""Fixtures of the job tests: a city, a survey with responses, an uploaded import preview."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest

from portal.extensions import db
from portal.models import City, Survey
from portal.testing import fake

STAKEHOLDERS = ("name,sector\nYouth centre,youth\nSchool no. 3,education\n"
                "Social work centre,social\n")
TIES = "source,target,kind,frequency\nYouth centre,School no. 3,referral,weekly\n"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Every export and import of these tests is large enough for a job."""
    return {**app_config, "JOBS_EXPORT_ABOVE": 5, "JOBS_IMPORT_ABOVE": 2}


@pytest.fixture
def city(make_city: Any) -> City:
    return make_city(slug="kumanovo")


@pytest.fixture
def survey(city: City) -> Survey:
    found = fake.build_demo_survey(city, slug="resilience")
    db.session.commit()
    fake.insert_responses(found, 12, seed=3)
    db.session.commit()
    return found


@pytest.fixture
def upload_import(client: Any) -> Callable[[City], str]:
    """Upload the test files as the logged-in user; return the preview's apply token."""

    def upload(city: City) -> str:
        page = client.post(f"/c/{city.slug}/stakeholders/import", data={
            "stakeholders_file": (io.BytesIO(STAKEHOLDERS.encode()), "people.csv"),
            "ties_file": (io.BytesIO(TIES.encode()), "ties.csv")},
            content_type="multipart/form-data").get_data(as_text=True)
        found = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
        assert found, page[:2000]
        return found.group(1)

    return upload
