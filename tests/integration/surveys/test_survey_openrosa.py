"""The OpenRosa server, tested from the protocol: what ODK Collect asks and sends.

Written from the OpenRosa specification (docs.getodk.org/openrosa-form-list,
openrosa-form-submission, openrosa-http): the form list and manifest documents, HEAD before a
submission, the multipart POST with ``xml_submission_file``, 201 with an OpenRosaResponse,
HTTP Basic with a challenge, and the instanceID as the key of a resent form.
"""

from __future__ import annotations

import hashlib
import uuid as uuid_module
from collections.abc import Callable
from io import BytesIO
from typing import Any
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select

from portal.auth import devices
from portal.auth import services as auth_services
from portal.extensions import db
from portal.models import Answer, City, EnumeratorDevice, Response, Survey, User
from portal.surveys.demo.seed import seed_city
from portal.surveys.field.xforms import build_xform

HTTPS = "https://localhost"
ROSA = "{http://openrosa.org/xforms/xformsList}"
REPLY = "{http://openrosa.org/http/response}"


def _responses() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Response)) or 0)


def instance(survey: Survey, *, uuid: str | None = None, extra: str = "", meta: str = "",
             **answers: str) -> bytes:
    """Return an instance of the small survey as ODK Collect writes it."""
    values = {"feel": "4", "pick": "a", "many": "x y", "years": "7", "say": "hello"}
    values.update(answers)
    one = "".join(f"<{k}>{values[k]}</{k}>" for k in ("feel", "pick") if k in values)
    two = "".join(f"<{k}>{values[k]}</{k}>" for k in ("many", "years", "say") if k in values)
    instance_id = uuid if uuid is not None else f"uuid:{uuid_module.uuid4()}"
    return (f'<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" '
            f'xmlns:orx="http://openrosa.org/xforms" id="small" version="{survey.revision}">'
            f"<one>{one}</one><two>{two}</two>{extra}"
            f"<meta>{meta}<instanceID>{instance_id}</instanceID></meta></data>").encode()


def submit(client: Any, city: str, body: bytes, auth: Any, **files: Any) -> Any:
    """POST an instance as ODK Collect does (multipart, xml_submission_file)."""
    data = {"xml_submission_file": (BytesIO(body), "submission.xml", "text/xml"), **files}
    return client.post(f"/odk/{city}/submission", data=data, auth=auth, base_url=HTTPS,
                       content_type="multipart/form-data")


def message(response: Any) -> str:
    root = ElementTree.fromstring(response.get_data())
    assert root.tag == f"{REPLY}OpenRosaResponse"
    return str(root.find(f"{REPLY}message").text)


def test_form_list_names_the_open_surveys_with_the_hash_of_their_xform(
        client: Any, field_setup: dict[str, Any], make_survey: Callable[..., Survey]) -> None:
    make_survey(city=field_setup["city"], slug="later", status="draft")
    listed = client.get("/odk/testgrad/formList", auth=field_setup["auth"], base_url=HTTPS)
    assert listed.status_code == 200
    assert listed.headers["X-OpenRosa-Version"] == "1.0"
    assert listed.mimetype == "text/xml"
    root = ElementTree.fromstring(listed.get_data())
    assert root.tag == f"{ROSA}xforms"
    (entry,) = root.findall(f"{ROSA}xform")  # the draft is not listed
    fields = {child.tag.removeprefix(ROSA): child.text for child in entry}
    assert set(fields) == {"formID", "name", "version", "hash", "downloadUrl", "manifestUrl"}
    assert fields["formID"] == "small" and fields["name"] == "Small survey"
    form = client.get(fields["downloadUrl"], auth=field_setup["auth"])
    assert form.status_code == 200
    assert fields["hash"] == "md5:" + hashlib.md5(form.get_data()).hexdigest()
    xform = ElementTree.fromstring(form.get_data())
    assert xform.tag == "{http://www.w3.org/1999/xhtml}html"
    data = xform.find(".//{http://www.w3.org/2002/xforms}instance/*")
    assert data is not None and data.get("id") == "small"
    assert data.get("version") == fields["version"]
    manifest = client.get(fields["manifestUrl"], auth=field_setup["auth"])
    assert manifest.status_code == 200
    root = ElementTree.fromstring(manifest.get_data())
    assert root.tag == "{http://openrosa.org/xforms/xformsManifest}manifest" and len(root) == 0


def test_the_xform_asks_for_no_metadata_but_the_instance_id(
        app: Any, field_setup: dict[str, Any]) -> None:
    text = build_xform(field_setup["survey"]).decode()
    for asked in ("deviceid", "username", "phonenumber", "subscriberid", "simserial", "<start",
                  "<end", "odk:setgeopoint", "audit", "timestamp"):
        assert asked not in text
    # The one value the device fills in itself: the instance's random UUID.
    assert text.count("jr:preload=") == 1
    assert '<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" ' \
           'jr:preload="uid"/>' in text


def test_the_generated_xforms_pass_odk_validate(
        app: Any, field_setup: dict[str, Any], make_city: Callable[..., City]) -> None:
    demo = seed_city(make_city(slug="demo-grad"))
    db.session.commit()
    assert demo is not None
    # pyxform runs ODK Validate (Java) and raises on any error it reports.
    for survey in (field_setup["survey"], demo):
        assert b"<h:html" in build_xform(survey, validate=True)


def test_a_valid_submission_is_stored_once_marked_as_collected_on_a_device(
        client: Any, field_setup: dict[str, Any]) -> None:
    body = instance(field_setup["survey"])
    sent = submit(client, "testgrad", body, field_setup["auth"])
    assert sent.status_code == 201, sent.get_data(as_text=True)
    assert sent.headers["X-OpenRosa-Version"] == "1.0"
    assert "received" in message(sent)
    stored = db.session.scalars(select(Response)).one()
    assert stored.collection_mode == "device"
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 6  # many: 2 rows
    # The reply was lost: ODK Collect sends the same instance again. Stored once.
    again = submit(client, "testgrad", body, field_setup["auth"])
    assert again.status_code == 201 and _responses() == 1


def test_the_instance_id_is_the_response_uuid_and_other_answers_under_it_get_409(
        client: Any, field_setup: dict[str, Any]) -> None:
    key = str(uuid_module.uuid4())
    first = submit(client, "testgrad", instance(field_setup["survey"], uuid=f"uuid:{key}"),
                   field_setup["auth"])
    assert first.status_code == 201
    assert db.session.scalar(select(Response.uuid)) == key
    other = submit(client, "testgrad", instance(field_setup["survey"], uuid=f"uuid:{key}",
                                                years="8"), field_setup["auth"])
    assert other.status_code == 409 and "nothing was stored" in message(other)
    assert _responses() == 1
    assert db.session.scalar(select(Answer.value_int).where(Answer.value_int == 7)) == 7


@pytest.mark.parametrize(("change", "says"), [
    ({"years": "500"}, "years: Enter a number from 0 to 120."),
    ({"pick": ""}, "pick: This question needs an answer."),
    ({"pick": "zzz"}, "pick: Choose one of the options shown."),
    ({"many": "x nope"}, "many: Choose one of the options shown."),
    ({"feel": "9"}, "feel: Choose one of the options shown."),
    ({"pick": "b", "years": "7"}, "years: This question is not asked with these answers."),
    ({"extra": "<spare>1</spare>"}, "fields the survey does not have: spare"),
    ({"uuid": "uuid:not-a-uuid"}, "no valid instanceID"),
    ({"uuid": "uuid:00000000-0000-1000-8000-000000000000"}, "no valid instanceID"),
    ({"extra": "<one><feel>2</feel></one>"}, "repeats the field"),
])
def test_an_invalid_submission_is_refused_with_a_message_and_nothing_stored(
        client: Any, field_setup: dict[str, Any], change: dict[str, str], says: str) -> None:
    sent = submit(client, "testgrad", instance(field_setup["survey"], **change),
                  field_setup["auth"])
    assert sent.status_code == 400
    assert says in message(sent)
    assert _responses() == 0
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


@pytest.mark.parametrize("body", [
    b"not xml at all",
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b'<data id="small"><one><pick>&b;</pick></one></data>',
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<data id="small"><two><say>&x;</say></two></data>',
])
def test_unreadable_or_hostile_xml_is_refused(client: Any, field_setup: dict[str, Any],
                                              body: bytes) -> None:
    sent = submit(client, "testgrad", body, field_setup["auth"])
    assert sent.status_code == 400 and "not a readable XForm instance" in message(sent)
    assert _responses() == 0


def test_a_submission_with_an_attachment_is_refused(client: Any,
                                                    field_setup: dict[str, Any]) -> None:
    photo = (BytesIO(b"\x89PNG..."), "face.png", "image/png")
    sent = submit(client, "testgrad", instance(field_setup["survey"]), field_setup["auth"],
                  **{"face.png": photo})
    assert sent.status_code == 400 and _responses() == 0


def test_incoming_metadata_is_dropped_and_never_stored(
        client: Any, field_setup: dict[str, Any], app: Any) -> None:
    meta = ("<deviceID>imei:356938035643809</deviceID><instanceName>Ana at home</instanceName>"
            "<audit>audit.csv</audit>")
    extra = ("<start>2026-12-03T10:00:00.000+01:00</start><end>2026-12-03T10:09:00.000+01:00"
             "</end><deviceid>imei:356938035643809</deviceid><username>ana.enumerator</username>"
             "<phonenumber>+38970123456</phonenumber><today>2026-12-03</today>")
    sent = submit(client, "testgrad", instance(field_setup["survey"], extra=extra, meta=meta),
                  field_setup["auth"])
    assert sent.status_code == 201, message(sent)
    texts = set(db.session.scalars(select(Answer.value_text).where(
        Answer.value_text.is_not(None))))
    assert texts == {"hello"}
    # Nowhere in any table: every row of every table, as text, on either database.
    with db.engine.connect() as connection:
        dump = "\n".join(repr(tuple(row)) for table in db.metadata.sorted_tables
                         for row in connection.execute(table.select()))
    for secret in ("356938035643809", "ana.enumerator", "38970123456", "Ana at home", "10:09"):
        assert secret not in dump


def test_head_before_a_submission_says_how_much_may_be_sent(
        client: Any, field_setup: dict[str, Any]) -> None:
    head = client.head("/odk/testgrad/submission", auth=field_setup["auth"], base_url=HTTPS)
    assert head.status_code == 204
    assert int(head.headers["X-OpenRosa-Accept-Content-Length"]) > 10_000
    assert head.headers["X-OpenRosa-Version"] == "1.0"


@pytest.mark.parametrize("url", ["/odk/testgrad/formList", "/odk/testgrad/submission"])
def test_without_the_device_credentials_the_answer_is_a_basic_challenge(
        client: Any, field_setup: dict[str, Any], url: str) -> None:
    username, secret = field_setup["auth"]
    for auth in (None, (username, secret + "x"), ("someone-else", secret)):
        response = client.open(url, method="GET" if "formList" in url else "POST",
                               auth=auth, base_url=HTTPS)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert _responses() == 0


def test_a_session_login_does_not_open_the_openrosa_server(
        client: Any, field_setup: dict[str, Any], make_user: Callable[..., User],
        login: Any) -> None:
    login(make_user("coordinator", city=field_setup["city"]))
    assert client.get("/odk/testgrad/formList", base_url=HTTPS).status_code == 401


def test_a_device_of_another_city_gets_404(client: Any, field_setup: dict[str, Any],
                                           make_city: Callable[..., City],
                                           make_survey: Callable[..., Survey]) -> None:
    away = make_city(slug="away")
    make_survey(city=away)
    assert client.get("/odk/away/formList", auth=field_setup["auth"],
                      base_url=HTTPS).status_code == 404
    body = instance(field_setup["survey"])
    assert submit(client, "away", body, field_setup["auth"]).status_code == 404
    assert client.get("/odk/nowhere/formList", auth=field_setup["auth"],
                      base_url=HTTPS).status_code == 404
    assert _responses() == 0


def test_a_revoked_device_or_a_removed_role_stops_at_once(
        client: Any, field_setup: dict[str, Any]) -> None:
    url, auth = "/odk/testgrad/formList", field_setup["auth"]
    assert client.get(url, auth=auth, base_url=HTTPS).status_code == 200
    membership = field_setup["user"].memberships[0]
    auth_services.remove_membership(membership, actor=None)
    db.session.commit()
    assert client.get(url, auth=auth, base_url=HTTPS).status_code == 401
    user2 = field_setup["user"]
    auth_services.grant_membership(user2, field_setup["city"], "enumerator", actor=None)
    db.session.commit()
    assert client.get(url, auth=auth, base_url=HTTPS).status_code == 200
    devices.revoke_device(db.session.get(EnumeratorDevice, field_setup["device"].id),
                          actor=None)
    db.session.commit()
    assert client.get(url, auth=auth, base_url=HTTPS).status_code == 401


def test_plain_http_is_refused_outside_development(client: Any,
                                                   field_setup: dict[str, Any]) -> None:
    response = client.get("/odk/testgrad/formList", auth=field_setup["auth"])
    assert response.status_code == 403 and "HTTPS" in message(response)



def test_the_device_of_a_switched_off_account_stops_at_once(
        client: Any, field_setup: dict[str, Any]) -> None:
    url, auth = "/odk/testgrad/formList", field_setup["auth"]
    assert client.get(url, auth=auth, base_url=HTTPS).status_code == 200
    auth_services.set_active(field_setup["user"], False, actor=None)
    db.session.commit()
    assert client.get(url, auth=auth, base_url=HTTPS).status_code == 401
    assert submit(client, "testgrad", instance(field_setup["survey"]), auth).status_code == 401
    assert _responses() == 0


class TestOdkRateLimit:
    @pytest.fixture
    def app_config(self, app_config: dict[str, Any]) -> dict[str, Any]:
        return {**app_config, "RATELIMIT_ENABLED": True, "ODK_RATE_LIMIT": "3 per minute"}

    def test_devices_are_limited_per_address_with_a_429(
            self, client: Any, field_setup: dict[str, Any]) -> None:
        url, auth = "/odk/testgrad/formList", field_setup["auth"]
        answers = [client.get(url, auth=auth, base_url=HTTPS).status_code for _ in range(3)]
        assert answers == [200, 200, 200]
        refused = submit(client, "testgrad", instance(field_setup["survey"]), auth)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert _responses() == 0
        # ODK Collect shows an OpenRosa reply's message; an HTML error page it cannot read.
        assert refused.headers["X-OpenRosa-Version"] == "1.0"
        assert refused.mimetype == "text/xml"
        assert "Wait a minute" in message(refused)
        listed = client.get(url, auth=auth, base_url=HTTPS, headers={"Accept-Language": "mk"})
        assert listed.status_code == 429 and "Wait a minute" not in message(listed)
