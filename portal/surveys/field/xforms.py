"""The XForm of a survey, and the OpenRosa documents around it (form list, manifest, replies).

One source of truth: the XForm is what pyxform makes of the portal's own XLSForm export
(portal.surveys.authoring.transfer.export_survey), with the survey's revision as the form's
version so ODK Collect fetches it again after a change. pyxform adds only ``meta/instanceID``;
the export holds no metadata question (start, end, deviceid, username…), so the form asks
the device for nothing about who collects or where.

Choice lists read from a file (``select_one_from_file``) are stored by the portal as ordinary
choices and exported inline, so a survey's XForm needs no media: its manifest is empty.
"""

from __future__ import annotations

import hashlib
import io
import threading
from xml.etree.ElementTree import Element, SubElement, tostring

from flask import current_app
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from portal.models import Survey
from portal.surveys.authoring.transfer import export_survey

XFORMS_LIST = "http://openrosa.org/xforms/xformsList"
MANIFEST = "http://openrosa.org/xforms/xformsManifest"
RESPONSE = "http://openrosa.org/http/response"
_LOCK = threading.Lock()
_CACHE_SIZE = 64


def form_id(survey: Survey) -> str:
    """Return the form id of a survey's XForm (the XLSForm export's form_id)."""
    return survey.slug.replace("-", "_")


def version(survey: Survey) -> str:
    """Return the XForm's version: the survey's revision (every authoring change bumps it)."""
    return str(survey.revision)


def _versioned_xlsform(survey: Survey) -> bytes:
    """Return the XLSForm export with the revision in the settings sheet's version column."""
    book = load_workbook(export_survey(survey))
    settings = book["settings"]
    column = settings.max_column + 1
    settings.cell(row=1, column=column, value="version")
    settings.cell(row=2, column=column, value=version(survey))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def build_xform(survey: Survey, *, validate: bool = False) -> bytes:
    """Convert the survey's XLSForm with pyxform; ``validate`` also runs ODK Validate (Java)."""
    result = convert(_versioned_xlsform(survey), warnings=[], validate=validate,
                     file_type=".xlsx")
    return result.xform.encode("utf-8")


def xform(survey: Survey) -> bytes:
    """Return the survey's XForm, made once per app for each (survey, revision)."""
    key = (survey.id, survey.created_at.isoformat(), survey.revision)
    cache: dict[tuple[int, str, int], bytes] = current_app.extensions.setdefault(
        "portal.xforms", {})
    with _LOCK:
        found = cache.get(key)
    if found is not None:
        return found
    made = build_xform(survey)
    with _LOCK:
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = made
    return made


def md5(data: bytes) -> str:
    """Return an OpenRosa hash ("md5:…")."""
    return "md5:" + hashlib.md5(data, usedforsecurity=False).hexdigest()


def _text(parent: Element, tag: str, text: str) -> None:
    SubElement(parent, tag).text = text


def _document(root: Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8")


def form_list(entries: list[tuple[Survey, str, bytes, str, str]]) -> bytes:
    """Return the OpenRosa form list: (survey, name, XForm, download URL, manifest URL) each."""
    root = Element("xforms", xmlns=XFORMS_LIST)
    for survey, name, document, download, manifest in entries:
        item = SubElement(root, "xform")
        _text(item, "formID", form_id(survey))
        _text(item, "name", name)
        _text(item, "version", version(survey))
        _text(item, "hash", md5(document))
        _text(item, "downloadUrl", download)
        _text(item, "manifestUrl", manifest)
    return _document(root)


def manifest() -> bytes:
    """Return a form's manifest: no media file (see the module's note)."""
    return _document(Element("manifest", xmlns=MANIFEST))


def reply(message: str, nature: str = "") -> bytes:
    """Return an OpenRosa response document carrying one message for the enumerator."""
    root = Element("OpenRosaResponse", xmlns=RESPONSE)
    item = SubElement(root, "message")
    if nature:
        item.set("nature", nature)
    item.text = message
    return _document(root)
