"""SQLAlchemy models, one module per domain; importing this package registers them all."""

from portal.models.accounts import (
    CITY_ROLES,
    ROLE_COORDINATOR,
    ROLE_ENUMERATOR,
    ROLE_MEMBER,
    City,
    Invitation,
    Membership,
    PasswordReset,
    Region,
    RegionalRole,
    User,
)
from portal.models.analysis import AnalysisResult
from portal.models.audit import AuditEvent
from portal.models.base import Base
from portal.models.events import EVENT_KINDS, Event
from portal.models.field import EnumeratorDevice
from portal.models.jobs import JOB_STATUSES, Job
from portal.models.network import (
    FREQUENCIES,
    LEVELS,
    SECTORS,
    TIE_KINDS,
    Area,
    ImportDraft,
    ImportMapping,
    MappingRound,
    RelationshipSurveyLink,
    Stakeholder,
    Tie,
)
from portal.models.plan import ACTIVITY_STATUSES, Plan, PlanActivity, PlanGoal
from portal.models.results import AggregateCell, ResultsAggregate
from portal.models.surveys import COLLECTION_MODES, Answer, Choice, Question, Response, Survey
from portal.models.tokens import ApiToken

__all__ = [
    "AggregateCell",
    "ResultsAggregate",
    "EVENT_KINDS",
    "Event",
    "ACTIVITY_STATUSES",
    "Plan",
    "PlanActivity",
    "PlanGoal",
    "CITY_ROLES",
    "ROLE_COORDINATOR",
    "ROLE_MEMBER",
    "ROLE_ENUMERATOR",
    "COLLECTION_MODES",
    "EnumeratorDevice",
    "JOB_STATUSES",
    "Job",
    "AnalysisResult",
    "ApiToken",
    "Answer",
    "AuditEvent",
    "Base",
    "Choice",
    "City",
    "Invitation",
    "Membership",
    "PasswordReset",
    "Question",
    "Region",
    "RegionalRole",
    "Response",
    "Survey",
    "User",
    "FREQUENCIES",
    "LEVELS",
    "SECTORS",
    "TIE_KINDS",
    "Area",
    "ImportDraft",
    "ImportMapping",
    "MappingRound",
    "RelationshipSurveyLink",
    "Stakeholder",
    "Tie",
]
