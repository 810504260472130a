"""R3: the requests of issue #14's findings, each as the role that reaches the page."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from reliability import files
from reliability.client import Session, csrf_token, hidden_uuid
from reliability.hostile import Prober, pct
from reliability.resident import page_inputs
from reliability.servers import Database

CITY, OTHER, SURVEY, HOSTILE = "zelenovo", "wadi-nour", "living-together", "hostile-check"
BIG = (str(2**31), str(2**63), str(2**64), "9" * 40)


@dataclass
class Ids:
    stakeholder: int
    survey: int
    own_round: int
    other_round: int
    area: int


def ids(db: Database) -> Ids:
    def one(sql: str, *params: object) -> int:
        return int(db.scalar(sql, params) or 0)

    city = "(SELECT id FROM city WHERE slug = ?)"
    return Ids(
        stakeholder=one(f"SELECT MIN(id) FROM stakeholder WHERE city_id = {city}", CITY),
        survey=one(f"SELECT id FROM survey WHERE slug = ? AND city_id = {city}", SURVEY, CITY),
        own_round=one(f"SELECT MIN(id) FROM mapping_round WHERE city_id = {city}", CITY),
        other_round=one(f"SELECT MIN(id) FROM mapping_round WHERE city_id = {city}", OTHER),
        area=one(f"SELECT MIN(id) FROM area WHERE city_id = {city}", CITY))


def token_of(prober: Prober, role: str, path: str) -> str:
    reply = prober.send(role, "GET", path)
    return csrf_token(reply.body) if reply is not None else ""


def paths_and_queries(p: Prober, k: Ids, roles: tuple[str, ...]) -> None:
    """NUL bytes, huge ids and superscript digits in paths and query strings."""
    c = f"/c/{CITY}"
    for role in ("anonymous",):
        for path in (f"/s/{CITY}/%00/", "/s/%00/x/", f"/s/{CITY}/{SURVEY}/consent?lang=%00",
                     f"/s/{CITY}/{SURVEY}/p/{BIG[1]}", f"/s/%00/{SURVEY}/thanks",
                     "/login?next=%00", f"/r/{pct('a' + chr(0))}", f"/invite/{pct(chr(0))}",
                     f"/api/v1/surveys/{BIG[1]}/results", "/api/v1/cities/%00/network",
                     "/static/%00"):
            p.send(role, "GET", path)
    for role in roles:
        for big in BIG:
            for path in (f"{c}/stakeholders/{big}", f"{c}/stakeholders/{big}/edit",
                         f"/api/v1/surveys/{big}/results", f"/admin/cities/{big}",
                         f"/admin/users/{big}", f"{c}/stakeholders?round={big}",
                         f"{c}/stakeholders?area={big}", f"{c}/map.json?round={big}",
                         f"{c}/map?round={big}", f"{c}/stakeholders/survey-links?sid={big}",
                         f"{c}/results/{SURVEY}?area={big}", f"/api/v1/cities/{CITY}/network"
                         f"?round={big}", f"{c}/compare?base={big}&follow={big}"):
                p.send(role, "GET", path)
        for bad in ("%00", "a%00b", "%C2%B2", "%D9%A3", "5_0", "%FF"):
            for path in (f"{c}/stakeholders?q={bad}", f"{c}/stakeholders?sector={bad}",
                         f"{c}/stakeholders?level={bad}&area={bad}&round={bad}",
                         f"{c}/map.json?round={bad}", f"{c}/map.json?kind={bad}&sector={bad}",
                         f"{c}/results/{SURVEY}?by={bad}&area={bad}&wave={bad}",
                         f"{c}/results/waves?baseline={bad}&followup={bad}",
                         f"/api/v1/surveys/{k.survey}/results?by={bad}",
                         f"/api/v1/cities/{CITY}/gaps?round={bad}", f"{c}/heatmap?round={bad}",
                         f"/regions/north-valley/results?survey={bad}"):
                p.send(role, "GET", path)
        # another city's round, through this city's pages
        for path in (f"{c}/map.json?round={k.other_round}", f"{c}/map?round={k.other_round}",
                     f"/api/v1/cities/{CITY}/network?round={k.other_round}",
                     f"{c}/stakeholders?round={k.other_round}"):
            p.send(role, "GET", path)


def forms(p: Prober, k: Ids) -> None:
    """NUL bytes, huge ids, bad dates and numbers in the team's forms."""
    c = f"/c/{CITY}"
    token = token_of(p, "coordinator", f"{c}/stakeholders/new")
    base = [("csrf_token", token), ("name", "Hostile check"), ("organisation", ""),
            ("sector", "education"), ("level", "local"), ("area_id", ""), ("notes", "")]
    for field, values in (("name", ("a\x00b", "\x00")), ("notes", ("\x00",)),
                          ("area_id", (*BIG, "²", "-1", "\x00")),
                          ("contact_email", ("a\x00@x.org",))):
        for value in values:
            p.send("coordinator", "POST", f"{c}/stakeholders/new",
                   [(f, value if f == field else v) for f, v in base])
    for value in (*BIG, "²", "\x00", str(k.other_round)):
        p.send("coordinator", "POST", f"{c}/stakeholders/rounds", [
            ("csrf_token", token), ("name", "R3 round"), ("held_on", "2024-01-01"),
            ("copy_from", value)])
        p.send("coordinator", "POST", f"{c}/stakeholders/{k.stakeholder}/ties", [
            ("csrf_token", token), ("round_id", value), ("kind", "information"),
            ("frequency", "monthly")])
    for value in ("2024-01-01\x00junk", "2024-01-01T25:00", "2024-02-30", "99999-01-01", "\x00"):
        p.send("coordinator", "POST", f"{c}/stakeholders/rounds", [
            ("csrf_token", token), ("name", "R3 dates"), ("held_on", value)])
    for value in ("\x00", "a\x00b"):
        p.send("coordinator", "POST", f"{c}/stakeholders/areas", [("csrf_token", token),
                                                                   ("name", value)])
        p.send("coordinator", "POST", f"{c}/team/invite", [
            ("csrf_token", token), ("email", f"x{value}@example.org"), ("role", "member")])
        p.send("coordinator", "POST", f"{c}/stakeholders/import/apply", [
            ("csrf_token", token), ("token", value)])
    p.send("coordinator", "POST", f"{c}/stakeholders/rounds/{k.other_round}/current",
           [("csrf_token", token)])
    for kind in ("csv", "xlsx"):  # the microdata export, read to its end
        p.send("coordinator", "POST", f"{c}/results/{SURVEY}/microdata",
               [("csrf_token", token), ("confirm", "y"), ("file_format", kind)])
        p.send("regional", "GET", f"{c}/results/{SURVEY}/results.{kind}")


def login(p: Prober) -> None:
    """NUL in the e-mail, open-redirect ``next`` values, a spoofed X-Forwarded-For."""
    email, password = "coordinator@demo.lpn.example", "demo-coordinator-pass"
    for value in ("a\x00@x.org", "\x00", "x" * 300):
        browser = Session(p.port)
        token = csrf_token(browser.get("/login").body)
        p.send("anonymous", "POST", "/login", [("csrf_token", token), ("email", value),
                                               ("password", "x")], browser=browser)
    for target in ("/%09/evil.example", "//evil.example", "/%0D%0A/x", "https://evil.example",
                   "/\\evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "%00"):
        browser = Session(p.port)
        token = csrf_token(browser.get("/login").body)
        p.send("anonymous", "POST", f"/login?next={target}", [
            ("csrf_token", token), ("email", email), ("password", password)], browser=browser)
    for spoof in ("1.2.3.4", "1.2.3.4, 5.6.7.8", "\x7f", "not-an-ip"):
        browser = Session(p.port)
        token = csrf_token(browser.get("/login").body)
        p.send("anonymous", "POST", "/login", [("csrf_token", token), ("email", "no@x.org"),
                                               ("password", "x")],
               headers={"X-Forwarded-For": spoof}, browser=browser)


def uploads(p: Prober, wide_rows: int, tall_rows: int) -> None:
    """Truncated XLSX, small XLSX bombs, Windows-encoded CSV, into both importers."""
    c = f"/c/{CITY}"
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    bodies = {"truncated-sheet.xlsx": (files.truncated_sheet(), sheet),
              "truncated-zip.xlsx": (files.truncated_zip(), sheet),
              "wide-bomb.xlsx": (files.wide_bomb(wide_rows), sheet),
              "tall-bomb.xlsx": (files.tall_bomb(tall_rows), sheet),
              **{name: (data, "text/csv") for name, data in files.windows_csvs().items()}}
    for name, (data, ctype) in bodies.items():
        token = token_of(p, "member", f"{c}/stakeholders/import")
        p.send("member", "POST", f"{c}/stakeholders/import", [("csrf_token", token)],
               files={"stakeholders_file": (name, data, ctype)})
        if name.endswith(".xlsx"):
            token = token_of(p, "coordinator", f"{c}/surveys/import")
            p.send("coordinator", "POST", f"{c}/surveys/import", [("csrf_token", token)],
                   files={"file": (name, data, ctype)})


def open_hostile_survey(p: Prober) -> bool:
    """Open the imported XLSForm survey (``hostile-check``); return True when it is open."""
    path = f"/c/{CITY}/surveys/{HOSTILE}/"
    token = token_of(p, "coordinator", path)
    p.send("coordinator", "POST", f"/c/{CITY}/surveys/{HOSTILE}/status",
           [("csrf_token", token), ("to", "open")])
    reply = Session(p.port).get(f"/s/{CITY}/{HOSTILE}/consent")
    return reply.status == 200


def resident_started(p: Prober, slug: str) -> tuple[Session, str, str] | None:
    """Return a resident's browser at page 1 of a survey, that page's path and its token."""
    browser = Session(p.port, timeout=45)
    consent = browser.get(f"/s/{CITY}/{slug}/consent?lang=en")
    start = browser.post(f"/s/{CITY}/{slug}/start", {
        "csrf_token": csrf_token(consent.body), "uuid": hidden_uuid(consent.body), "lang": "en"})
    if start is None or start.status != 302:
        return None
    page = browser.get(start.location)
    return browser, start.location, csrf_token(page.body)


def residents(p: Prober) -> None:
    """Superscript digits, NUL, bad numbers and dates, and the catastrophic regex, as answers."""
    for slug in (SURVEY, HOSTILE):
        started = resident_started(p, slug)
        if started is None:
            continue
        browser, path, token = started
        inputs = page_inputs(browser.get(path).body)
        for name in inputs:
            for value in ("²", "\x00", "a\x00b", "5_0", "1e999", "NaN", "٣", str(2**63),
                          "2024-01-01\x00junk", "2024-01-01T25:00", "-0", "9" * 400):
                p.send("anonymous", "POST", path, [("csrf_token", token), (name, value),
                                                   ("nav", "next")], browser=browser.copy())
        # a NUL accepted page by page must not make the send fail
        text = [n for n, e in inputs.items() if e["kind"] == "textarea"]
        if text:
            b = browser.copy()
            p.send("anonymous", "POST", path, [("csrf_token", token), (text[0], "a\x00b"),
                                               ("nav", "next")], browser=b)
            send = b.get(f"/s/{CITY}/{slug}/send")
            p.send("anonymous", "POST", f"/s/{CITY}/{slug}/send", [
                ("csrf_token", csrf_token(send.body)), ("uuid", hidden_uuid(send.body))],
                browser=b)
    started = resident_started(p, HOSTILE)
    if started is None:
        return
    browser, path, token = started
    words = next((n for n, e in page_inputs(browser.get(path).body).items()
                  if e["kind"] == "textarea"), None)
    if words is None:
        return
    threads = [threading.Thread(target=p.send, args=(
        "anonymous", "POST", path, [("csrf_token", token), (words, "a" * 40 + "!"),
                                    ("nav", "next")]), kwargs={"browser": browser.copy()})
               for _ in range(4)]  # four at once: as many as the workers
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    p.send("anonymous", "GET", "/login")  # the portal still answers afterwards
