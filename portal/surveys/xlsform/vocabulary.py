"""The XLSForm type names pyxform hands over, grouped by what the portal does with them."""

from __future__ import annotations

SIMPLE_TYPES: dict[str, str] = {
    "text": "text", "string": "text", "integer": "integer", "int": "integer",
    "decimal": "decimal", "date": "date",
    "time": "time", "dateTime": "datetime", "note": "note", "trigger": "acknowledge",
    "acknowledge": "acknowledge", "range": "range", "calculate": "calculate",
}
SELECT_TYPES: dict[str, str] = {
    "select one": "single", "select all that apply": "multi", "select one external": "single",
    "select_one": "single", "select_multiple": "multi",
}
METADATA_TYPES = frozenset({
    "start", "end", "today", "deviceid", "imei", "username", "email", "subscriberid",
    "simserial", "phonenumber", "audit", "start-geopoint", "background-audio",
    "background-geopoint",
})
# Refused in the resident's interest: each reason is stated in the message.
LOCATION_TYPES = frozenset({"geopoint", "geotrace", "geoshape", "gps"})
MEDIA_TYPES = frozenset({"photo", "image", "audio", "video", "file", "background-video"})
BARCODE_TYPES = frozenset({"barcode"})
PORTAL_FLAGS = {"reverse": "lpn_reverse", "dont_know": "lpn_dont_know",
                "prefer_not": "lpn_prefer_not"}
CHOICE_KEYS = frozenset({"name", "label", "media", "image", "audio", "video", "big-image"})
