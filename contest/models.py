"""Imports every model module so metadata (and Alembic) knows all tables."""
from contest.accounts.models import Token, User  # noqa: F401
from contest.audit.models import AuditEvent  # noqa: F401
from contest.awards.models import Award, Diploma, Publication  # noqa: F401
from contest.blind.models import EntryRedaction, RedactionTerm  # noqa: F401
from contest.contests.import_models import JurorImport  # noqa: F401
from contest.contests.models import (  # noqa: F401
    AwardTier,
    Category,
    Contest,
    ContestJuror,
    ContestMember,
    Criterion,
    JurorProfile,
    Signatory,
    Topic,
)
from contest.coordinators.models import CoordinatorLimit, Pupil  # noqa: F401
from contest.jobs.models import Job  # noqa: F401
from contest.judging.models import Assignment, DeclaredConflict, JurorReminder  # noqa: F401
from contest.mail.models import OutgoingEmail  # noqa: F401
from contest.messages.models import Message, MessageRecipient  # noqa: F401
from contest.paper.models import PaperEntry  # noqa: F401
from contest.rounds.models import JudgingRound, ShortlistEntry  # noqa: F401
from contest.schools.models import School  # noqa: F401
from contest.submissions.extension_models import DeadlineExtension  # noqa: F401
from contest.submissions.models import Entry, EntryVersion  # noqa: F401
from contest.transcription.models import Transcription  # noqa: F401
