"""A small HTTP client for 127.0.0.1: a cookie jar, forms, CSRF tokens, and sends dropped unread.

http.client, not requests: a dropped attempt must close its socket right after sending the
request, before any byte of the response is read, which a pooling client does not allow.
"""

from __future__ import annotations

import http.client
import re
import socket
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
_HIDDEN_UUID = re.compile(r'name="uuid"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="uuid"')
TIMEOUT = 60.0


@dataclass
class Reply:
    """A response read to the end (status, headers lower-cased, body as text)."""

    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        """Return the path of a redirect's Location header (scheme and host removed)."""
        parts = urlsplit(self.headers.get("location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")


def csrf_token(html: str) -> str:
    """Return the CSRF token of a page's form, or an empty string."""
    found = _CSRF.search(html)
    return (found.group(1) or found.group(2)) if found else ""


def hidden_uuid(html: str) -> str:
    """Return the value of a form's hidden ``uuid`` field, or an empty string."""
    found = _HIDDEN_UUID.search(html)
    return (found.group(1) or found.group(2) or "") if found else ""


@dataclass
class Session:
    """One browser: cookies kept between requests; every request on a new connection."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = TIMEOUT
    # Several servers behind one "load balancer": each request goes to the next port in turn
    # (R7). Empty: every request goes to ``port``.
    ports: tuple[int, ...] = ()
    turn: int = 0
    copies: int = 0

    def copy(self) -> Session:
        """Return a second browser holding the same cookies (a copied cookie jar); with several
        servers, each copy starts on a different one (a raced duplicate crosses servers)."""
        self.copies += 1
        return Session(self.port, dict(self.cookies), self.timeout, self.ports,
                       self.turn + self.copies - 1)

    def _next_port(self) -> int:
        if not self.ports:
            return self.port
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        return port

    def _headers(self, port: int, extra: dict[str, str] | None, body: bytes | None,
                 content_type: str | None) -> dict[str, str]:
        headers = {"Host": f"127.0.0.1:{port}", "Connection": "close",
                   "User-Agent": "lpn-reliability"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            headers["Content-Length"] = str(len(body))
        headers.update(extra or {})
        return headers

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                expired = morsel["expires"] and "1970" in morsel["expires"]
                if morsel.value == "" or expired or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None, headers: dict[str, str] | None = None,
                drop: bool = False) -> Reply | None:
        """Send one request; return the reply read to the end, or None when ``drop``.

        A dropped request is written whole, then its socket is shut and closed without
        reading a byte: the server still handles it, the client never learns the outcome.
        """
        port = self._next_port()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in self._headers(port, headers, body, content_type).items():
                conn.putheader(name, value)
            conn.endheaders(body)
            if drop:
                sock = conn.sock
                if sock is not None:
                    sock.shutdown(socket.SHUT_RDWR)
                return None
            response = conn.getresponse()
            data = response.read()
            self._keep_cookies(response)
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                         data.decode("utf-8", "replace"))
        finally:
            conn.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        """GET a path, read to the end."""
        reply = self.request("GET", path, headers=headers)
        assert reply is not None
        return reply

    def post(self, path: str, fields: list[tuple[str, str]] | dict[str, str],
             drop: bool = False, headers: dict[str, str] | None = None) -> Reply | None:
        """POST url-encoded fields (a list keeps repeated names)."""
        items = list(fields.items()) if isinstance(fields, dict) else fields
        return self.request("POST", path, urlencode(items).encode(), headers=headers, drop=drop)

    def post_multipart(self, path: str, fields: dict[str, str],
                       files: dict[str, tuple[str, bytes, str]]) -> Reply:
        """POST a multipart form with files: {field: (filename, data, content type)}."""
        boundary = "----lpnreliability7d1f0c"
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                         .encode() + value.encode("utf-8", "surrogatepass") + b"\r\n")
        for name, (filename, data, ctype) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
                         + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        reply = self.request("POST", path, body,
                             content_type=f"multipart/form-data; boundary={boundary}")
        assert reply is not None
        return reply

    def login(self, email: str, password: str) -> bool:
        """Log in through the login form; return True when the portal accepted it."""
        page = self.get("/login")
        reply = self.post("/login", {"csrf_token": csrf_token(page.body), "email": email,
                                     "password": password})
        return reply is not None and reply.status == 302
