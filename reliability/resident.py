"""A scripted resident: consent, start, every page, then the send, retried with its UUID."""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from reliability.client import Reply, Session, csrf_token, hidden_uuid

LANGUAGES = ("en", "mk", "sq", "sr", "sr_Latn", "tr", "ar", "rom")
NETWORK_ERRORS = (OSError, http.client.HTTPException)
MAX_PAGES = 50  # a survey longer than this is a loop: stop


class Inputs(HTMLParser):
    """Collect a page's question inputs: name → kind, the offered values, min and max."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, dict[str, object]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        name = found.get("name", "")
        if not (name.startswith("q") and name[1:].isdigit()):
            return
        kind = "textarea" if tag == "textarea" else found.get("type", "text")
        entry = self.fields.setdefault(name, {"kind": kind, "values": [],
                                              "min": found.get("min"), "max": found.get("max")})
        if kind in ("radio", "checkbox"):
            entry["values"].append(found.get("value", ""))  # type: ignore[attr-defined]


def page_inputs(html: str) -> dict[str, dict[str, object]]:
    parser = Inputs()
    parser.feed(html)
    return parser.fields


def choose(fields: dict[str, dict[str, object]], rng: random.Random
           ) -> tuple[list[tuple[str, str]], int]:
    """Return plausible answers for a page's inputs and how many answer rows they store."""
    form: list[tuple[str, str]] = []
    rows = 0
    for name, entry in fields.items():
        kind, values = entry["kind"], list(entry["values"])  # type: ignore[call-overload]
        real = [v for v in values if v not in ("dk", "pn")]
        if kind == "radio" and values:
            form.append((name, rng.choice(real or values) if rng.random() < 0.9
                         else rng.choice(values)))
            rows += 1
        elif kind == "checkbox" and values:
            if rng.random() < 0.1 and "pn" in values or not real:
                picked = ["pn"] if "pn" in values else values[:1]
            else:
                picked = rng.sample(real, k=rng.randint(1, min(3, len(real))))
            form += [(name, value) for value in picked]
            rows += len(picked)
        elif kind == "textarea":
            form.append((name, rng.choice(["Ok", "More youth activities, please.",
                                           "Ја сакам заедницата", "شكراً لكم", "Faleminderit"])))
            rows += 1
        elif kind == "number":
            low = int(float(str(entry["min"]))) if entry["min"] else 0
            high = int(float(str(entry["max"]))) if entry["max"] else low + 50
            form.append((name, str(rng.randint(low, max(low, high)))))
            rows += 1
        elif kind == "date":
            form.append((name, f"2023-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"))
            rows += 1
    return form, rows


@dataclass
class Flow:
    """What became of one resident's answers."""

    uuid: str = ""
    rows: int = 0
    attempts: int = 0
    dropped: int = 0
    raced: bool = False
    acknowledged: bool = False
    conflicts: int = 0
    statuses_5xx: list[str] = field(default_factory=list)
    failure: str = ""  # the script could not get to the send (with why)


class Resident:
    """Answer one survey at ``/s/<city>/<slug>/`` on a server that may be killed meanwhile."""

    def __init__(self, port: int, city: str, slug: str, rng: random.Random,
                 patience: float = 0.0, ports: tuple[int, ...] = ()) -> None:
        self.port, self.base, self.rng = port, f"/s/{city}/{slug}", rng
        self.ports = ports  # several servers: each request goes to the next one (R7)
        self.patience = patience  # seconds to wait for a killed server to come back

    def _call(self, flow: Flow, action: str, do: Callable[[], Reply | None]) -> Reply:
        """Run a request; while patient, retry it when the server is away (being restarted)."""
        deadline = time.monotonic() + self.patience
        while True:
            try:
                reply = do()
            except NETWORK_ERRORS:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)
                continue
            assert reply is not None  # never dropped here
            if reply.status >= 500:
                flow.statuses_5xx.append(f"{action} -> {reply.status}")
            return reply

    def answer(self) -> Flow:
        """Walk the survey to the send step and send; return the flow's outcome."""
        flow = Flow()
        session = Session(self.port, ports=self.ports)
        lang = self.rng.choice(LANGUAGES)
        try:
            consent = self._call(flow, "GET consent",
                                 lambda: session.get(f"{self.base}/consent?lang={lang}"))
            uuid = hidden_uuid(consent.body)
            start = self._call(flow, "POST start", lambda: session.post(
                f"{self.base}/start", {"csrf_token": csrf_token(consent.body), "uuid": uuid,
                                       "lang": lang}))
            if start.status != 302:
                flow.failure = f"start answered {start.status}"
                return flow
            target = start.location
            for _ in range(MAX_PAGES):
                if not target.startswith(f"{self.base}/p/"):
                    break
                page = self._call(flow, "GET page", lambda t=target: session.get(t))  # type: ignore[misc]
                form, rows = choose(page_inputs(page.body), self.rng)
                reply = self._call(flow, "POST page", lambda t=target, p=page, f=form: (  # type: ignore[misc]
                    session.post(t, [("csrf_token", csrf_token(p.body)), *f, ("nav", "next")])))
                if reply.status != 302:
                    flow.failure = f"page answered {reply.status}"
                    return flow
                flow.rows += rows
                target = reply.location
            if not target.endswith("/send"):
                flow.failure = f"no send step ({target})"
                return flow
            send_page = self._call(flow, "GET send", lambda: session.get(target))
        except NETWORK_ERRORS as exc:
            flow.failure = f"network: {type(exc).__name__}"
            return flow
        flow.uuid = hidden_uuid(send_page.body)
        self._send(flow, session, target, csrf_token(send_page.body))
        return flow

    def _send(self, flow: Flow, session: Session, path: str, token: str) -> None:
        """Send 1-3 times with the same UUID and the pre-send cookie; some unread, some raced."""
        fields = {"csrf_token": token, "uuid": flow.uuid}
        planned = self.rng.randint(1, 3)
        deadline = time.monotonic() + self.patience
        attempt = 0
        while attempt < planned or (not flow.acknowledged and time.monotonic() < deadline):
            attempt += 1
            last = attempt >= planned
            drop = not last and self.rng.random() < 0.5
            race = last and not flow.raced and self.rng.random() < 0.15
            browsers = [session.copy()] + ([session.copy()] if race else [])
            replies: list[Reply | None | BaseException] = [None] * len(browsers)

            def go(i: int, browser: Session = session, d: bool = drop,
                   out: list[Reply | None | BaseException] = replies) -> None:
                try:
                    out[i] = browser.post(path, fields, drop=d)
                except NETWORK_ERRORS as exc:
                    out[i] = exc

            if race:
                flow.raced = True
                threads = [threading.Thread(target=go, args=(i, b)) for i, b in
                           enumerate(browsers)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=120)
            else:
                go(0, browsers[0])
            flow.attempts += len(browsers)
            flow.dropped += int(drop)
            for reply in replies:
                if isinstance(reply, Reply):
                    if reply.status == 200:
                        flow.acknowledged = True
                    elif reply.status == 409:
                        flow.conflicts += 1
                    elif reply.status >= 500:
                        flow.statuses_5xx.append(f"POST send -> {reply.status}")
            if isinstance(replies[0], BaseException):
                time.sleep(0.2)
            if attempt > 200:
                break
