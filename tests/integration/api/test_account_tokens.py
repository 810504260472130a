"""The account page of API tokens: create (shown once), list with last use, revoke."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ApiToken

from .conftest import bearer

SECRET = re.compile(r'value="(lpn_[A-Za-z0-9_-]+)"')


@pytest.fixture
def coordinator(mapped_city: Any, make_user: Any, make_city: Any, login: Any) -> Any:
    city = mapped_city("north")
    make_city(slug="elsewhere", name="Elsewhere")
    user = make_user("coordinator", city=city)
    login(user)
    return user, city


def create(client: Any, city_ids: list[int], **fields: Any) -> Any:
    data = {"name": "Power BI", "cities": city_ids, "days": "30", "access": "read", **fields}
    return client.post("/account/tokens", data=data)


def test_token_is_shown_once_and_then_listed_without_its_secret(client, coordinator):
    _user, city = coordinator
    page = create(client, [city.id]).get_data(as_text=True)
    secret = SECRET.search(page).group(1)
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in listing and secret[:8] in listing and "Power BI" in listing
    assert "never" in listing
    assert client.get("/api/v1/cities/north/gaps", headers=bearer(secret)).status_code == 200
    assert "never" not in client.get("/account/tokens").get_data(as_text=True)


def test_a_city_the_user_cannot_see_cannot_be_chosen(client, coordinator, make_city):
    away = db.session.scalar(select(ApiToken.id))  # none yet
    assert away is None
    other = make_city(slug="hidden", name="Hidden")
    page = create(client, [other.id]).get_data(as_text=True)
    assert "lpn_" not in page and "Hidden" not in page
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


@pytest.mark.parametrize("fields", [{"name": "  "}, {"days": "1000"}, {"days": "x"},
                                    {"access": "admin"}, {"cities": []}])
def test_bad_input_creates_nothing(client, coordinator, fields):
    _user, city = coordinator
    response = create(client, [city.id], **fields)
    assert response.status_code == 200
    assert "lpn_" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_read_write_choice_is_stored(client, coordinator):
    _user, city = coordinator
    create(client, [city.id], access="read_write")
    assert db.session.scalar(select(ApiToken.read_write)) is True


@pytest.mark.parametrize("lang", ["mk", "ar", "rom"])
def test_page_is_translated(client, coordinator, lang):
    page = client.get(f"/account/tokens?lang={lang}").get_data(as_text=True)
    assert "API tokens" not in page.split("<main", 1)[-1]
