"""The access rule of ODK Collect's OpenRosa routes: a device of the city, over HTTPS.

Every refusal here is an OpenRosa reply (``<OpenRosaResponse>`` with a translated message and
``X-OpenRosa-Version: 1.0``), the rate limit's 429 too: ODK Collect shows its message, where
an HTML error page would reach the enumerator as an unreadable failure.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from xml.sax.saxutils import escape

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests

from portal import ratelimit
from portal.auth import devices
from portal.auth.scoping import city_by_slug, mark

F = TypeVar("F", bound=Callable[..., Any])

ODK_REALM = "LPN Portal (ODK Collect)"
ODK_RATE_LIMIT = "120 per minute"
_ODK_REPLY = ('<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse '
              'xmlns="http://openrosa.org/http/response"><message>{}</message></OpenRosaResponse>')


def odk_refusal(status: int, message: str) -> Response:
    """Return an OpenRosa refusal (ODK Collect shows its message)."""
    response = Response(_ODK_REPLY.format(escape(message)), status=status,
                        content_type="text/xml; charset=utf-8")
    response.headers["X-OpenRosa-Version"] = "1.0"
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Basic realm="{ODK_REALM}", charset="UTF-8"'
    return response


def _over_the_limit() -> Response | None:
    """Count this request against the device limit; return the OpenRosa 429 when over it."""
    try:
        ratelimit.check_client("ODK_RATE_LIMIT", ODK_RATE_LIMIT,
                               f"address:{request.remote_addr}")
    except TooManyRequests as refused:
        response = odk_refusal(
            429, _("Too many requests from this network. Wait a minute, then send again."))
        response.headers.extend((name, value) for name, value in refused.get_headers()
                                if name == "Retry-After")
        return response
    return None


def device_view(view: F) -> F:
    """Scope an OpenRosa view to the city in its URL, for a working device of that city.

    ODK Collect signs in with HTTP Basic (portal.auth.devices), so only over HTTPS (as the
    app sees it behind the proxies PROXY_FIX_X_PROTO trusts); plain HTTP only in development
    (debug). No or wrong credentials: 401 with the Basic challenge; a device of another
    city: 404, as if the city did not exist. A session cookie counts for nothing here.
    """

    @wraps(view)
    def wrapped(*args: Any, city: str, **kwargs: Any) -> Any:
        if not (request.is_secure or current_app.debug):
            return odk_refusal(403, _("The server accepts ODK Collect over HTTPS only."))
        limited = _over_the_limit()
        if limited is not None:
            return limited
        credentials = request.authorization
        device = (devices.authenticate(credentials.username, credentials.password)
                  if credentials is not None and credentials.type == "basic" else None)
        if device is None:
            return odk_refusal(
                401, _("Sign in with the user name and password of this device."))
        found = city_by_slug(city)
        if found is None or found.id != device.city_id:
            return odk_refusal(404, _("Not found."))
        devices.touch(device)
        g.city, g.device = found, device
        return view(*args, city=found, **kwargs)

    return mark(wrapped, "city-device")
