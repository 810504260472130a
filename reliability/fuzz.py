"""R3: hypothesis-generated input to the public forms, the imports and the API, over HTTP."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from reliability.client import Session, csrf_token
from reliability.corpus import CITY, HOSTILE, SURVEY, resident_started, token_of
from reliability.hostile import Prober, pct
from reliability.resident import page_inputs

TEXT = st.text(max_size=60)
ANY = st.one_of(TEXT, st.integers(min_value=-(2**70), max_value=2**70).map(str),
                st.sampled_from(["²", "\x00", "٣", "5_0", "1e999", "NaN", "2024-02-30"]))


def _settings(examples: int):
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck))


def fuzz(p: Prober, examples: int) -> None:
    """Run each generator ``examples`` times; every request is judged by the prober."""
    login_token = [""]
    login_browser = Session(p.port)
    login_token[0] = csrf_token(login_browser.get("/login").body)

    @_settings(examples)
    @given(email=ANY, password=ANY, next_=ANY)
    def login(email: str, password: str, next_: str) -> None:
        p.send("anonymous", "POST", f"/login?next={pct(next_)}", [
            ("csrf_token", login_token[0]), ("email", email), ("password", password)],
            browser=login_browser.copy())

    pages = {}
    for slug in (SURVEY, HOSTILE):
        started = resident_started(p, slug)
        if started is not None:
            browser, path, token = started
            pages[slug] = (browser, path, token, list(page_inputs(browser.get(path).body)))

    @_settings(examples)
    @given(slug=st.sampled_from(sorted(pages) or [SURVEY]), values=st.lists(ANY, max_size=6),
           uuid=ANY, nav=st.sampled_from(["next", "back", "", "\x00"]))
    def answers(slug: str, values: list[str], uuid: str, nav: str) -> None:
        if slug not in pages:
            return
        browser, path, token, names = pages[slug]
        fields = [("csrf_token", token)] + [(names[i % len(names)] if names else "q1", v)
                                            for i, v in enumerate(values)] + [("nav", nav)]
        p.send("anonymous", "POST", path, fields, browser=browser.copy())
        p.send("anonymous", "POST", f"/s/{CITY}/{slug}/send",
               [("csrf_token", token), ("uuid", uuid)], browser=browser.copy())

    @_settings(examples)
    @given(city=st.sampled_from([CITY, "%00", "nowhere"]) | TEXT.map(pct), query=ANY,
           survey=st.integers(min_value=-1, max_value=2**64).map(str) | TEXT.map(pct),
           role=st.sampled_from(["anonymous", "member", "regional", "admin"]))
    def api(city: str, query: str, survey: str, role: str) -> None:
        p.send(role, "GET", f"/api/v1/cities/{city}/network?round={pct(query)}")
        p.send(role, "GET", f"/api/v1/cities/{city}/gaps?sector={pct(query)}")
        p.send(role, "GET", f"/api/v1/surveys/{survey}/results?by={pct(query)}")

    csv_cell = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20)

    @_settings(examples)
    @given(rows=st.lists(st.lists(csv_cell, min_size=1, max_size=5), max_size=8),
           header=st.sampled_from(["name,sector,level", "from,to,kind,frequency", "", "name"]),
           encoding=st.sampled_from(["utf-8", "utf-16", "cp1251", "latin-1"]),
           raw=st.binary(max_size=200), which=st.sampled_from(["csv", "raw", "xlsx-raw"]))
    def imports(rows: list[list[str]], header: str, encoding: str, raw: bytes, which: str
                ) -> None:
        text = header + "\n" + "\n".join(",".join(r) for r in rows)
        data = text.encode(encoding, "replace") if which == "csv" else (
            b"PK\x03\x04" + raw if which == "xlsx-raw" else raw)
        name = "fuzz.xlsx" if which == "xlsx-raw" else "fuzz.csv"
        field = "ties_file" if header.startswith("from") else "stakeholders_file"
        p.send("member", "POST", f"/c/{CITY}/stakeholders/import", [("csrf_token", import_token)],
               files={field: (name, data, "application/octet-stream")})
        if which != "csv":
            p.send("coordinator", "POST", f"/c/{CITY}/surveys/import",
                   [("csrf_token", survey_token)],
                   files={"file": ("fuzz.xlsx", data, "application/octet-stream")})

    import_token = token_of(p, "member", f"/c/{CITY}/stakeholders/import")
    survey_token = token_of(p, "coordinator", f"/c/{CITY}/surveys/import")
    for check in (login, answers, api, imports):
        if p.out_of_time():
            return
        check()
