"""What a network view is filtered by (its own module: services and pending both need it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.models import MappingRound


@dataclass(frozen=True)
class Filters:
    """What the map is filtered by: the resolved round (None: the city has none) and the rest."""

    round: MappingRound | None = None
    kind: str | None = None
    sector: str | None = None
    min_frequency: str | None = None

    @property
    def round_id(self) -> int | None:
        """Return the round's id, or None."""
        return self.round.id if self.round is not None else None

    @property
    def chosen(self) -> dict[str, str]:
        """Return the set filters other than the round, by name."""
        values = {"kind": self.kind, "sector": self.sector, "min_frequency": self.min_frequency}
        return {k: v for k, v in values.items() if v}

    @property
    def active(self) -> bool:
        """Return True when the map is narrowed by kind, sector or frequency."""
        return bool(self.chosen)

    def query(self) -> dict[str, Any]:
        """Return the filters as URL query arguments (unset ones left out)."""
        args: dict[str, Any] = {"round": self.round_id} if self.round is not None else {}
        return {**args, **self.chosen}
