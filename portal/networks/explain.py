"""Plain-words explanations of the network measures: what each says and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Explanation:
    """One measure in plain words: a sentence on its meaning and one on what to do."""

    key: str
    meaning: object
    action: object


EXPLANATIONS: dict[str, Explanation] = {e.key: e for e in (
    Explanation(
        "degree",
        _l("Ties (degree): how many partners an actor works with."),
        _l("What to do: introduce actors with few ties to a well-connected partner of another "
           "sector.")),
    Explanation(
        "betweenness",
        _l("Betweenness: how often an actor lies on the shortest route between two others; "
           "high values mark go-betweens that much coordination passes through."),
        _l("What to do: do not overload them; make sure others also know each other directly.")),
    Explanation(
        "closeness",
        _l("Closeness: how near an actor is to everyone it can reach; high values mean news "
           "from it spreads fast."),
        _l("What to do: use actors with high closeness to pass information to the whole "
           "network.")),
    Explanation(
        "density",
        _l("Density: the share of all possible pairs of actors that have a tie (0 to 1); small "
           "networks are denser than big ones."),
        _l("What to do: compare it between rounds of the same city rather than between "
           "cities.")),
    Explanation(
        "centralisation",
        _l("Centralisation: how much the ties are concentrated on a few actors (0: evenly "
           "spread, 1: everything goes through one actor)."),
        _l("What to do: if it is high, build ties that do not pass through the central "
           "actors.")),
    Explanation(
        "single_point_of_failure",
        _l("Single point of failure: an actor (or a tie) whose loss would cut others off from "
           "the rest of the network."),
        _l("What to do: give the actors behind it a second route, for instance with the "
           "suggested introductions.")),
)}
