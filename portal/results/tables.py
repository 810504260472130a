"""Turn aggregated rows into disclosure-controlled tables (no queries here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from portal.analysis.disclosure import suppress_counts
from portal.analysis.scoring import index_summary, summary_from_moments
from portal.models import Question
from portal.results.queries import Plan
from portal.surveys.labels import BREAKDOWN_LABELS, code_label, subscale_label

MISSING = ("dont_know", "prefer_not")


def weekly_table(rows: Iterable[tuple[Any, int]], k: int) -> dict[str, Any]:
    """Responses per ISO week as one distribution over the weeks."""
    counts: dict[str, int] = {}
    for start, n in rows:
        day = start if isinstance(start, date) else date.fromisoformat(str(start)[:10])
        counts[day.isoformat()] = counts.get(day.isoformat(), 0) + int(n)
    result = suppress_counts(counts, k) if counts else {"cells": {}, "total": _zero()}
    weeks = []
    for start, cell in result["cells"].items():
        year, week, _ = date.fromisoformat(start).isocalendar()
        weeks.append({"key": f"{year}-W{week:02d}", "start": start, "count": cell})
    return {"total": result["total"], "weeks": weeks}


def _zero() -> dict[str, Any]:
    return {"value": 0, "rounded": False, "suppressed": False}


def _shares(rows: list[dict[str, Any]], base: int | None) -> None:
    """Add each row's share of the base, where both are exactly known."""
    for row in rows:
        value = row["count"]["value"]
        row["share"] = value / base if base and value is not None else None


def _distribution(keys: Sequence[tuple[str, str]], counts: Mapping[str, int], n_total: int,
                  k: int) -> dict[str, Any]:
    """One flat distribution over everyone: choices, missing codes and 'not answered'."""
    values = {key: int(counts.get(key, 0)) for key, _ in keys}
    values["no_answer"] = max(0, n_total - sum(values.values()))
    result = suppress_counts(values, k)
    labels = dict(keys) | {"no_answer": code_label("no_answer")}
    rows = [{"key": key, "label": labels[key], "count": cell}
            for key, cell in result["cells"].items()]
    exact = not result["total"]["suppressed"] and not result["total"]["rounded"]
    # Shares of everyone in the distribution (as likert_distribution does): a share of
    # "those who saw the question" would give away a suppressed "not answered" count.
    _shares(rows, n_total if exact else None)
    return {"rows": rows, "total": result["total"]}


def _choice_keys(question: Question, language: str,
                 counts: Mapping[str, int]) -> list[tuple[str, str]]:
    """Return (key, label) of each answer a question offers, missing codes included."""
    fallback = question.survey.default_language
    if question.qtype == "likert5":
        keys = [(str(c.value), c.text(language, fallback)) for c in question.choices if c.value]
    else:
        keys = [(c.name, c.text(language, fallback)) for c in question.choices]
    keys += [(code, code_label(code)) for code in MISSING
             if getattr(question, code) or counts.get(code)]
    return keys


def question_table(question: Question, rows: list[tuple[Any, Any, Any, int]],
                   n_total: int, multi_n: int, k: int, language: str) -> dict[str, Any]:
    """Build one question's published distribution from its GROUP BY rows."""
    names = {c.id: c.name for c in question.choices}
    counts: dict[str, int] = defaultdict(int)
    for choice_id, value_int, missing, n in rows:
        if missing:
            counts[missing] += n
        elif question.qtype == "likert5" and value_int is not None:
            counts[str(value_int)] += n
        elif choice_id in names:
            counts[names[choice_id]] += n
    keys = _choice_keys(question, language, counts)
    base = {"name": question.name, "type": question.qtype,
            "label": question.text("label", language)}
    if question.qtype != "multi":
        return base | _distribution(keys, counts, n_total, k)
    return base | _multi_table(keys, counts, n_total, multi_n, k)


def _multi_table(keys: list[tuple[str, str]], counts: Mapping[str, int], n_total: int,
                 multi_n: int, k: int) -> dict[str, Any]:
    """Several choices: who answered, then per choice 'chosen' of those who answered."""
    missing = sum(counts.get(code, 0) for code in MISSING)
    answered = multi_n - missing
    top = _distribution([("answered", ""), *[(c, lbl) for c, lbl in keys if c in MISSING]],
                        {"answered": answered, **counts}, n_total, k)
    answered_cell = top["rows"][0]["count"]
    rows = []
    for key, label in keys:
        if key in MISSING:
            continue
        chosen = int(counts.get(key, 0))
        if answered_cell["suppressed"]:
            cell = {"value": None, "suppressed": True, "reason": "secondary"}
        else:
            parts = suppress_counts({"chosen": chosen, "not": answered - chosen}, k)
            cell = parts["cells"]["chosen"]
        rows.append({"key": key, "label": label, "count": cell})
    _shares(rows, None if answered_cell["suppressed"] else answered)
    rest = [row for row in top["rows"] if row["key"] != "answered"]
    return {"rows": rows + rest, "total": top["total"], "answered": answered_cell}


def _summary(n: float, s: float, ss: float, k: int) -> dict[str, Any]:
    """A subscale summary with its 0-100 index."""
    summary = summary_from_moments(int(n), float(s or 0.0), float(ss or 0.0), k)
    out = dict(summary)
    out["index"] = {key: index_summary(summary)[key] for key in ("mean", "ci_low", "ci_high")}
    return out


def _suppressed_summary() -> dict[str, Any]:
    """A summary hidden because its group is."""
    return {"n": None, "mean": None, "sd": None, "ci_low": None, "ci_high": None,
            "suppressed": True, "index": {"mean": None, "ci_low": None, "ci_high": None}}


def _residual_safe(cells: dict[str, dict[str, Any]], truth: Mapping[str, int], k: int) -> None:
    """Hide more groups until the hidden ones together are 0 or at least k people.

    Otherwise the overall mean and the shown groups' means give the hidden few's mean.
    """
    while True:
        hidden = sum(truth[key] for key, cell in cells.items() if cell["suppressed"])
        if hidden == 0 or hidden >= k:
            return
        shown = [key for key, cell in cells.items() if not cell["suppressed"] and truth[key]]
        if not shown:
            return
        key = min(shown, key=lambda g: truth[g])
        cells[key] = {"value": None, "suppressed": True, "reason": "secondary"}


def subscale_tables(plan: Plan, moments: Mapping[tuple[str, str, str], tuple[int, float, float]],
                    demo_choices: Mapping[str, list[tuple]], k: int) -> list[dict[str, Any]]:
    """Build every subscale's overall summary and its breakdowns from the moments.

    ``moments`` maps (subscale, breakdown, group) to (n, sum, sum of squares) of the scores:
    breakdown "" is everyone; a group is a choice id or mode as text, "" for not stated.
    """
    out = []
    for name in plan.subscales:
        n, s, ss = moments.get((name, "", ""), (0, 0.0, 0.0))
        overall = _summary(n, s, ss, k)
        breakdowns = [
            _breakdown(key, {group: values for (sub, bd, group), values in moments.items()
                             if sub == name and bd == key},
                       demo_choices.get(key, []), n, k)
            for key in plan.breakdowns
        ]
        out.append({"name": name, "label": subscale_label(name), "n_items": plan.n_items(name),
                    "overall": overall, "breakdowns": breakdowns})
    return out


def _breakdown(key: str, moments: Mapping[str, tuple[int, float, float]], choices: list[tuple],
               n_total: int, k: int) -> dict[str, Any]:
    """One subscale by one demographic question: group sizes suppressed as a partition."""
    ids = {cid: name for cid, name, _ in choices}
    acc: dict[str, list[float]] = {name: [0, 0.0, 0.0] for _, name, _ in choices}
    if key != "collection_mode":  # every response has its collection mode
        acc["not_stated"] = [0, 0.0, 0.0]
    for group, (n, s, ss) in moments.items():
        target = acc[ids.get(group, "not_stated")]
        target[0] += int(n or 0)
        target[1] += float(s or 0.0)
        target[2] += float(ss or 0.0)
    truth = {g: int(v[0]) for g, v in acc.items()}
    cells = suppress_counts(truth, k)["cells"] if n_total else {
        g: {"value": 0, "suppressed": False, "reason": None} for g in truth}
    _residual_safe(cells, truth, k)
    labels = {name: label for _, name, label in choices} | {"not_stated": code_label("not_stated")}
    groups = []
    for g, (gn, gs, gss) in acc.items():
        cell = cells[g]
        summary = _suppressed_summary() if cell["suppressed"] else _summary(gn, gs, gss, k)
        groups.append({"key": g, "label": labels[g], "n": cell, "summary": summary})
    return {"key": key, "label": str(BREAKDOWN_LABELS.get(key, key)), "groups": groups}
