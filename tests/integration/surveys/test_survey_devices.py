"""The device page: a coordinator makes a device, scans its QR code, revokes it."""

from __future__ import annotations

import base64
import io
import json
import re
import zlib
from collections.abc import Callable
from typing import Any

import zxingcpp
from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, City, EnumeratorDevice, User


def decode_qr(page: str) -> str:
    """Return the text of the page's QR code image (zxing-cpp reads the rendered PNG)."""
    found = re.search(r'class="device-qr" src="data:image/png;base64,([^"]+)"', page)
    assert found, page
    image = Image.open(io.BytesIO(base64.b64decode(found.group(1))))
    (barcode,) = zxingcpp.read_barcodes(image)
    return str(barcode.text)


def make_device(client: Any, city: City, person: User, label: str = "Tablet 2") -> str:
    page = client.get(f"/c/{city.slug}/devices").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"label": label, "user": str(person.id)}
    if token:
        data["csrf_token"] = token.group(1)
    response = client.post(f"/c/{city.slug}/devices", data=data)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def test_the_qr_code_configures_odk_collect_with_the_server_and_the_device_credentials(
        client: Any, make_city: Callable[..., City], make_user: Callable[..., User],
        login: Any) -> None:
    city = make_city(slug="testgrad")
    enumerator = make_user("enumerator", city=city, display_name="Ana")
    login(make_user("coordinator", city=city))
    page = make_device(client, city, enumerator)
    settings = json.loads(zlib.decompress(base64.b64decode(decode_qr(page))))
    device = db.session.scalars(select(EnumeratorDevice)).one()
    assert settings["admin"] == {}
    general = settings["general"]
    assert general["server_url"] == "http://localhost/odk/testgrad"
    assert general["username"] == device.username
    assert general["password"] in page  # shown once, beside the code
    assert device.token_hash != general["password"] and general["password"] not in str(
        [device.token_hash, device.username, device.label])
    # The settings open the OpenRosa server (over HTTPS, as ODK Collect sends them).
    listed = client.get("/odk/testgrad/formList", base_url="https://localhost",
                        auth=(general["username"], general["password"]))
    assert listed.status_code == 200
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "device.create")) == "device.create"
    # Listed afterwards, without its secret.
    again = client.get("/c/testgrad/devices").get_data(as_text=True)
    assert "Tablet 2" in again and general["password"] not in again and "device-qr" not in again


def test_a_revoked_device_stops_working_at_once(client: Any, make_city: Callable[..., City],
                                                make_user: Callable[..., User],
                                                login: Any) -> None:
    city = make_city(slug="testgrad")
    login(make_user("coordinator", city=city))
    page = make_device(client, city, make_user("enumerator", city=city))
    general = json.loads(zlib.decompress(base64.b64decode(decode_qr(page))))["general"]
    device = db.session.scalars(select(EnumeratorDevice)).one()
    assert client.post(f"/c/testgrad/devices/{device.id}/revoke").status_code == 302
    listed = client.get("/odk/testgrad/formList", base_url="https://localhost",
                        auth=(general["username"], general["password"]))
    assert listed.status_code == 401


def test_members_and_enumerators_may_not_open_the_device_page(
        client: Any, make_city: Callable[..., City], make_user: Callable[..., User],
        login: Any) -> None:
    city = make_city(slug="testgrad")
    for role in ("member", "enumerator"):
        login(make_user(role, city=city))
        assert client.get("/c/testgrad/devices").status_code == 403
        client.post("/logout")


def test_a_device_cannot_be_given_to_someone_outside_the_team(
        client: Any, make_city: Callable[..., City], make_user: Callable[..., User],
        login: Any) -> None:
    city = make_city(slug="testgrad")
    login(make_user("coordinator", city=city))
    stranger = make_user("member", city=make_city(slug="away"))
    response = client.post("/c/testgrad/devices", data={"label": "X", "user": str(stranger.id)})
    assert response.status_code == 200 and "device-qr" not in response.get_data(as_text=True)
    assert db.session.scalars(select(EnumeratorDevice)).all() == []
