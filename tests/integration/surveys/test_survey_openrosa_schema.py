"""The OpenRosa server's documents validate against the schemas of tests/fixtures/openrosa/.

No official schema is published; those were written from the specification's text (their
README says where each rule comes from). Each schema is first shown to refuse documents that
break its rules, so a schema that accepted anything would fail here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from portal.models import Survey
from tests.integration.surveys.test_survey_openrosa import HTTPS, instance, submit

SCHEMAS = Path(__file__).resolve().parents[2] / "fixtures" / "openrosa"
LIST = "http://openrosa.org/xforms/xformsList"
MANIFEST = "http://openrosa.org/xforms/xformsManifest"
REPLY = "http://openrosa.org/http/response"
MD5 = "md5:" + "0" * 32


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / f"{name}.xsd")))


def valid(name: str, document: bytes) -> bool:
    """Return True when the document validates (the parser resolves no entities)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return schema(name).validate(etree.fromstring(document, parser))


def assert_valid(name: str, document: bytes) -> None:
    checker = schema(name)
    tree = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    assert checker.validate(tree), (checker.error_log, document)


def form(inner: str) -> bytes:
    return f'<xforms xmlns="{LIST}"><xform>{inner}</xform></xforms>'.encode()


GOOD = (f"<formID>small</formID><name>Small</name><version>3</version><hash>{MD5}</hash>"
        "<downloadUrl>https://x.example/f.xml</downloadUrl>")


@pytest.mark.parametrize(("document", "expected"), [
    (form(GOOD), True),
    (form(GOOD + "<manifestUrl>https://x.example/m</manifestUrl>"), True),
    (f'<xforms xmlns="{LIST}"/>'.encode(), True),  # zero forms
    (form(GOOD.replace("<version>3</version>", "")), False),  # version is required
    (form(GOOD.replace(f"<hash>{MD5}</hash>", "")), False),
    (form(GOOD.replace(MD5, "sha1:abc")), False),  # only md5: hashes
    (form(GOOD + "<name>Twice</name>"), False),  # exactly one name
    (form(GOOD.replace("https://x.example/f.xml", "/f.xml")), False),  # a full URI
    (form(GOOD + "<deviceID>x</deviceID>"), False),  # nothing the spec does not name
    (form(GOOD).replace(LIST.encode(), b"urn:other"), False),  # the namespace counts
])
def test_the_form_list_schema_keeps_the_specifications_rules(document: bytes,
                                                               expected: bool) -> None:
    assert valid("xformsList", document) is expected


@pytest.mark.parametrize(("filename", "expected"), [
    ("badger.png", True), ("path/to/frog.png", True), ("/etc/passwd", False),
    ("../up.png", False), ("a/../b.png", False), ("C:/x.png", False)])
def test_the_manifest_schema_refuses_rooted_or_relative_paths(filename: str,
                                                              expected: bool) -> None:
    document = (f'<manifest xmlns="{MANIFEST}"><mediaFile><filename>{filename}</filename>'
                f"<hash>{MD5}</hash><downloadUrl>https://x.example/m</downloadUrl>"
                "</mediaFile></manifest>").encode()
    assert valid("xformsManifest", document) is expected


@pytest.mark.parametrize(("document", "expected"), [
    (f'<OpenRosaResponse xmlns="{REPLY}"><message nature="submit_success">ok</message>'
     "</OpenRosaResponse>", True),
    (f'<OpenRosaResponse xmlns="{REPLY}" items="1"><message>a</message>'
     '<r xmlns="urn:payload"/></OpenRosaResponse>', True),
    (f'<OpenRosaResponse xmlns="{REPLY}"><message>a</message><message>b</message>'
     "</OpenRosaResponse>", False),  # zero or one message
    (f'<OpenRosaResponse xmlns="{REPLY}" items="many"/>', False),
    (f'<OpenRosaResponse xmlns="{REPLY}"><note>a</note></OpenRosaResponse>', False),
])
def test_the_response_schema_keeps_the_specifications_rules(document: str,
                                                             expected: bool) -> None:
    assert valid("OpenRosaResponse", document.encode()) is expected


def test_the_form_list_and_manifests_validate(client: Any, field_setup: dict[str, Any],
                                              make_survey: Callable[..., Survey]) -> None:
    make_survey(city=field_setup["city"], slug="second")  # two forms in the list
    listed = client.get("/odk/testgrad/formList", auth=field_setup["auth"], base_url=HTTPS)
    assert listed.status_code == 200
    assert_valid("xformsList", listed.get_data())
    urls = etree.fromstring(listed.get_data()).findall(f"{{{LIST}}}xform/{{{LIST}}}manifestUrl")
    assert len(urls) == 2
    for url in urls:
        manifest = client.get(url.text, auth=field_setup["auth"])
        assert manifest.status_code == 200
        assert_valid("xformsManifest", manifest.get_data())


def test_every_reply_of_the_submission_endpoint_validates(
        client: Any, field_setup: dict[str, Any]) -> None:
    survey, auth = field_setup["survey"], field_setup["auth"]
    body = instance(survey)
    replies = {
        "stored": submit(client, "testgrad", body, auth),
        "resent": submit(client, "testgrad", body, auth),
        "conflict": submit(client, "testgrad", body.replace(b"<say>hello", b"<say>other"),
                           auth),
        "invalid": submit(client, "testgrad", instance(survey, pick="zzz"), auth),
        "unreadable": submit(client, "testgrad", b"<data", auth),
        "no credentials": submit(client, "testgrad", instance(survey), None),
        "another city": submit(client, "nowhere", instance(survey), auth),
        "plain http": client.post("/odk/testgrad/submission", auth=auth),
    }
    assert {name: reply.status_code for name, reply in replies.items()} == {
        "stored": 201, "resent": 201, "conflict": 409, "invalid": 400, "unreadable": 400,
        "no credentials": 401, "another city": 404, "plain http": 403}
    for name, reply in replies.items():
        assert reply.headers["X-OpenRosa-Version"] == "1.0", name
        assert_valid("OpenRosaResponse", reply.get_data())
    nature = etree.fromstring(replies["stored"].get_data()).find(f"{{{REPLY}}}message")
    assert nature is not None and nature.get("nature") == "submit_success"


class TestLimitedReply:
    @pytest.fixture
    def app_config(self, app_config: dict[str, Any]) -> dict[str, Any]:
        return {**app_config, "RATELIMIT_ENABLED": True, "ODK_RATE_LIMIT": "1 per minute"}

    def test_the_rate_limits_429_validates(self, client: Any,
                                           field_setup: dict[str, Any]) -> None:
        url, auth = "/odk/testgrad/formList", field_setup["auth"]
        assert client.get(url, auth=auth, base_url=HTTPS).status_code == 200
        refused = client.head("/odk/testgrad/submission", auth=auth, base_url=HTTPS)
        assert refused.status_code == 429
        refused = submit(client, "testgrad", instance(field_setup["survey"]), auth)
        assert refused.status_code == 429
        assert refused.headers["X-OpenRosa-Version"] == "1.0"
        assert_valid("OpenRosaResponse", refused.get_data())
