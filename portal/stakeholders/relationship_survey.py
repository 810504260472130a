"""The relationship survey (name generator): private links that let a stakeholder report ties."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from portal import audit
from portal.extensions import db
from portal.i18n import DEFAULT_LOCALE, normalise
from portal.models import City, MappingRound, RelationshipSurveyLink, Stakeholder, User
from portal.models.base import utcnow
from portal.stakeholders.rounds import current_round
from portal.stakeholders.ties import TieEntry, add_ties

DEFAULT_LIFETIME_DAYS = 21


@dataclass(frozen=True)
class LinkState:
    """A stakeholder and the state of its newest link."""

    stakeholder: Stakeholder
    link: RelationshipSurveyLink | None
    status: str  # none, open, answered, expired, revoked


def token_hash(token: str) -> str:
    """Return the stored form of a link token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _derive(nonce: str, key: str | bytes | None = None) -> str:
    """Return the token of a nonce: an HMAC under the secret key (43 URL-safe characters)."""
    key = current_app.config["SECRET_KEY"] if key is None else key
    key_bytes = key if isinstance(key, bytes) else str(key).encode()
    mac = hmac.new(key_bytes, b"relationship-survey-link:" + nonce.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def token_of(link: RelationshipSurveyLink) -> str | None:
    """Return the link's token again, or None (a link made before nonces, or under a key
    that is neither SECRET_KEY nor one of SECRET_KEY_FALLBACKS)."""
    if not link.token_nonce:
        return None
    keys = [current_app.config["SECRET_KEY"],
            *(current_app.config.get("SECRET_KEY_FALLBACKS") or [])]
    for key in keys:
        token = _derive(link.token_nonce, key)
        if hmac.compare_digest(token_hash(token), link.token_hash):
            return token
    return None


def language_of(link: RelationshipSurveyLink, city: City) -> str:
    """Return the UI language of a link's card and page (else the city's default)."""
    return normalise(link.locale) or normalise(city.default_locale) or DEFAULT_LOCALE


def status_of(link: RelationshipSurveyLink | None, round_: MappingRound | None) -> str:
    """Return none, revoked, expired, answered (this round) or open."""
    if link is None:
        return "none"
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at < utcnow():
        return "expired"
    if round_ is not None and link.answered_round_id == round_.id:
        return "answered"
    return "open"


def overview(city: City) -> list[LinkState]:
    """Return every active stakeholder with the state of its newest link (two queries)."""
    people = list(db.session.scalars(select(Stakeholder).where(
        Stakeholder.city_id == city.id, Stakeholder.archived_at.is_(None)
    ).order_by(Stakeholder.name_key)))
    newest: dict[int, RelationshipSurveyLink] = {}
    for link in db.session.scalars(select(RelationshipSurveyLink).where(
            RelationshipSurveyLink.city_id == city.id).order_by(RelationshipSurveyLink.id)):
        newest[link.stakeholder_id] = link
    round_ = current_round(city)
    return [LinkState(s, newest.get(s.id), status_of(newest.get(s.id), round_)) for s in people]


def open_links(city: City, stakeholder_id: int | None = None
               ) -> list[tuple[Stakeholder, RelationshipSurveyLink, str]]:
    """Return (stakeholder, link, token) for every open link that can be shown again."""
    rows = []
    for state in overview(city):
        if state.status != "open" or state.link is None:
            continue
        if stakeholder_id is not None and state.stakeholder.id != stakeholder_id:
            continue
        token = token_of(state.link)
        if token is not None:
            rows.append((state.stakeholder, state.link, token))
    return rows


def _revoke_open(city: City, stakeholder_ids: list[int]) -> None:
    db.session.execute(
        update(RelationshipSurveyLink)
        .where(RelationshipSurveyLink.city_id == city.id,
               RelationshipSurveyLink.stakeholder_id.in_(stakeholder_ids),
               RelationshipSurveyLink.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _previous_locales(city: City, stakeholder_ids: list[int]) -> dict[int, str | None]:
    """Return the language of each stakeholder's newest link."""
    found: dict[int, str | None] = {}
    for stakeholder_id, locale in db.session.execute(
            select(RelationshipSurveyLink.stakeholder_id, RelationshipSurveyLink.locale)
            .where(RelationshipSurveyLink.city_id == city.id,
                   RelationshipSurveyLink.stakeholder_id.in_(stakeholder_ids))
            .order_by(RelationshipSurveyLink.id)):
        found[stakeholder_id] = locale
    return found


def issue(city: City, people: list[Stakeholder], lifetime_days: int, *,
          locale: str | None = None, actor: User | None
          ) -> list[tuple[Stakeholder, str]]:
    """Issue one new link per stakeholder (revoking its older ones); return the raw tokens.

    The links are in `locale`, or when it is None in the language of each one's previous link.
    """
    previous = _previous_locales(city, [p.id for p in people])
    _revoke_open(city, [p.id for p in people])
    issued = []
    for person in people:
        nonce = secrets.token_hex(16)
        token = _derive(nonce)
        link = RelationshipSurveyLink(
            city_id=city.id, stakeholder_id=person.id, token_hash=token_hash(token),
            token_nonce=nonce, locale=normalise(locale) or previous.get(person.id),
            created_by_id=audit.actor_id(actor),
            expires_at=utcnow() + timedelta(days=lifetime_days))
        db.session.add(link)
        issued.append((person, token))
    db.session.flush()
    audit.record("survey_link.issue", actor=actor, city=city, details=f"count={len(issued)}")
    return issued


def revoke(city: City, stakeholder: Stakeholder, *, actor: User | None) -> None:
    """Revoke the stakeholder's open links."""
    _revoke_open(city, [stakeholder.id])
    audit.record("survey_link.revoke", actor=actor, city=city, target=stakeholder)


def open_link(token: str) -> tuple[RelationshipSurveyLink | None, str]:
    """Return (link, status) for a token; the link is None when the token is unknown."""
    link = db.session.scalar(select(RelationshipSurveyLink).where(
        RelationshipSurveyLink.token_hash == token_hash(token)))
    if link is None or link.stakeholder.archived_at is not None:
        return None, "none"
    round_ = current_round(link.city)
    status = status_of(link, round_)
    if status == "open" and round_ is None:
        status = "no_round"
    return link, status


def answer(link: RelationshipSurveyLink, entries: list[TieEntry], *, actor: User | None) -> int:
    """Store the answers as ties reported by the link's stakeholder in the current round."""
    round_ = current_round(link.city)
    if round_ is None or status_of(link, round_) != "open":
        raise ValueError("link_closed")
    created, updated = add_ties(link.city, link.stakeholder, round_, entries, reported=True,
                                action="survey_link.answer", actor=actor)
    link.answered_round_id = round_.id
    link.answered_at = utcnow()
    if not created and not updated:
        audit.record("survey_link.answer", actor=actor, city=link.city, target=link.stakeholder,
                     details="no ties named")
    return created + updated
