"""Personal API tokens for scripts (R, Power BI, Python): hashed, scoped, expiring, revocable."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.accounts import City, User
from portal.models.base import Base, UTCDateTime, utcnow

# Every table has an integer `id` (tests' SharedDatabase marks rows by it).
api_token_city = Table(
    "api_token_city",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("token_id", Integer, ForeignKey("api_token.id", ondelete="CASCADE"), nullable=False),
    Column("city_id", Integer, ForeignKey("city.id", ondelete="CASCADE"), nullable=False,
           index=True),
    UniqueConstraint("token_id", "city_id"),
)


class ApiToken(Base):
    """A user's token: works on /api/v1/ with the user's rights, narrowed to its cities.

    Only the SHA-256 of the secret is stored (the secret is 32 random bytes, so no slow hash is
    needed); the token itself is shown once, when it is made.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token ("lpn_" and 4 more), so its owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    # Reserved: no /api/v1/ endpoint writes yet; a read-only token is refused on any write.
    read_write: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    user: Mapped[User] = relationship()
    cities: Mapped[list[City]] = relationship(secondary=api_token_city, order_by="City.name")
