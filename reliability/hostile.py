"""R3: the hostile-input corpus of issue #14 and a crawl-and-mutate fuzz of every form.

Every request goes over HTTP to the running gunicorn, as the role that can reach the page. A
response >= 500, a request the server dropped without an answer (a worker killed at its
timeout), or a redirect to another site counts as a failure and is printed.
"""

from __future__ import annotations

import http.client
import re
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

from reliability.client import Reply, Session, csrf_token

ROLES = {  # the demo logins (portal/demo.py)
    "member": ("member@demo.lpn.example", "demo-member-pass"),
    "coordinator": ("coordinator@demo.lpn.example", "demo-coordinator-pass"),
    "regional": ("regional@demo.lpn.example", "demo-regional-pass"),
    "admin": ("admin@demo.lpn.example", "demo-admin-pass"),
}
TIMEOUT = 45.0  # above gunicorn's 30 s worker timeout: a hung worker shows as no answer
# Forms whose POST would switch the suite's own accounts or surveys off, or log out.
NO_FUZZ = re.compile(r"/logout$|/active$|/status$|/revoke$|/remove$|/archive$")
SHORT_VALUES: tuple[str | bytes, ...] = (
    "\x00", str(2**63), "²", "2024-01-01\x00junk", b"\xff\xfe", "x" * 5000)
FULL_VALUES: tuple[str | bytes, ...] = SHORT_VALUES + (
    "a\x00b", str(2**31), str(2**64), "-1", "٣", "5_0", "1e999", "NaN", "2024-01-01T25:00",
    "<script>alert(1)</script>", '=HYPERLINK("http://evil.example")', "a\x0bb", " ", "0")


@dataclass
class Failure:
    role: str
    method: str
    path: str
    status: str
    detail: str = ""


@dataclass
class Prober:
    """Send requests, count them, keep the failures."""

    port: int
    requests: int = 0
    failures: list[Failure] = field(default_factory=list)
    sessions: dict[str, Session] = field(default_factory=dict)
    deadline: float = float("inf")

    def session(self, role: str) -> Session:
        """Return the logged-in browser of a role ("anonymous": a fresh one each time)."""
        if role == "anonymous":
            return Session(self.port, timeout=TIMEOUT)
        if role not in self.sessions:
            browser = Session(self.port, timeout=TIMEOUT)
            if not browser.login(*ROLES[role]):
                raise RuntimeError(f"R3 cannot log in as {role}")
            self.sessions[role] = browser
        return self.sessions[role]

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    def send(self, role: str, method: str, path: str, fields: Sequence[tuple[str, str | bytes]]
             | None = None, files: dict[str, tuple[str, bytes, str]] | None = None,
             headers: dict[str, str] | None = None, browser: Session | None = None
             ) -> Reply | None:
        """Send one request and judge its answer; return it (None: no answer)."""
        browser = browser or self.session(role)
        self.requests += 1
        detail = _describe(fields, files)
        reply: Reply | None
        try:
            if files is not None:
                reply = browser.post_multipart(path, {k: str(v) for k, v in fields or []}, files)
            elif method == "POST":
                reply = browser.request("POST", path, urlencode(fields or []).encode(),
                                        headers=headers)
            else:
                reply = browser.request("GET", path, headers=headers)
        except (OSError, http.client.HTTPException) as exc:
            self.failures.append(Failure(role, method, path, f"no answer ({type(exc).__name__})",
                                         detail))
            return None
        assert reply is not None
        if reply.status >= 500:
            self.failures.append(Failure(role, method, path, str(reply.status), detail))
        elif 300 <= reply.status < 400 and _offsite(reply.headers.get("location", "")):
            self.failures.append(Failure(role, method, path, f"{reply.status} to "
                                         f"{reply.headers['location']!r} (another site)", detail))
        return reply


def _offsite(location: str) -> bool:
    parts = urlsplit(location.strip())
    return bool(parts.netloc) and parts.hostname not in ("127.0.0.1", "localhost") or (
        location.strip().startswith(("//", "\\\\", "/\\")))


def _describe(fields: Sequence[tuple[str, str | bytes]] | None,
              files: dict[str, tuple[str, bytes, str]] | None) -> str:
    shown = [f"{k}={v[:40]!r}" for k, v in fields or [] if k != "csrf_token"]
    shown += [f"{k}=<{name}, {len(data)} bytes>" for k, (name, data, _t) in (files or {}).items()]
    return " ".join(shown)[:300]


# ---------------------------------------------------------------------------- the crawl
@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]]
    has_file: bool


class _Page(HTMLParser):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path, self.links, self.forms = path, [], []  # type: ignore[var-annotated]
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("action") or self.path, a.get("method", "get").upper(), [],
                              False)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "file":
                self._form.has_file = True
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            self._form.fields.append((self._select, a.get("value", "")))
            self._select = None  # the first option stands for the field
        elif tag == "textarea" and a.get("name"):
            self._form.fields.append((a["name"], ""))
        elif tag == "button" and a.get("name"):
            self._form.fields.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def crawl(prober: Prober, role: str, seeds: list[str], limit: int) -> list[Form]:
    """Visit same-site pages breadth-first from the seeds (GET only); return their forms."""
    queue, seen, forms = deque(seeds), set(seeds), []
    visited = 0
    while queue and visited < limit and not prober.out_of_time():
        path = queue.popleft()
        reply = prober.send(role, "GET", path)
        visited += 1
        if reply is None or reply.status != 200 or "html" not in reply.headers.get(
                "content-type", ""):
            continue
        page = _Page(path.split("?")[0])
        page.feed(reply.body)
        for form in page.forms:
            form.fields.insert(0, ("csrf_token", csrf_token(reply.body)))
        forms += page.forms
        for link in page.links:
            link = link.split("#")[0]
            shape = re.sub(r"\d+", "N", link)
            if (link and shape not in seen and link not in seen and not link.startswith(
                    "/static/") and "logout" not in link):
                seen.update({link, shape})
                queue.append(link)
    return forms


def fuzz_forms(prober: Prober, forms_by_role: dict[str, list[Form]],
               values: tuple[str | bytes, ...]) -> None:
    """POST (or GET) every distinct form with one field at a time set to each hostile value."""
    done: set[str] = set()
    for role, forms in forms_by_role.items():
        for form in forms:
            key = form.method + re.sub(r"\d+", "N", form.action) + ",".join(
                sorted(k for k, _ in form.fields))
            if key in done or NO_FUZZ.search(form.action) or form.has_file:
                continue
            done.add(key)
            names = [k for k, _ in form.fields if k not in ("csrf_token",)]
            for name in dict.fromkeys(names):
                for value in values:
                    if prober.out_of_time():
                        return
                    fields: list[tuple[str, str | bytes]] = [
                        (k, value if k == name else v) for k, v in form.fields]
                    if form.method == "POST":
                        prober.send(role, "POST", form.action, fields)
                    else:
                        prober.send(role, "GET", f"{form.action}?{urlencode(fields)}")


def seeds(city: str, survey: str) -> list[str]:
    return ["/", "/cities", f"/c/{city}/", f"/c/{city}/stakeholders", f"/c/{city}/map",
            f"/c/{city}/stakeholders/rounds", f"/c/{city}/stakeholders/import",
            f"/c/{city}/surveys/", f"/c/{city}/results", f"/c/{city}/results/{survey}",
            f"/c/{city}/results/{survey}/microdata", f"/c/{city}/team/invite", "/admin/",
            "/account/password", "/regions/north-valley/", "/regions/north-valley/results",
            f"/c/{city}/stakeholders/new", f"/c/{city}/surveys/new", f"/c/{city}/compare",
            f"/c/{city}/stakeholders/survey-links", f"/c/{city}/stakeholders/export"]


def pct(text: str) -> str:
    """Percent-encode a path segment or query value (NUL and all)."""
    return quote(text, safe="")
