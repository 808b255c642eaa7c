"""Every model, imported in one place so Alembic and create_all() see all tables."""
from consult.auth.models import AccessToken, Affiliation, Role, TokenPurpose, User
from consult.consultations.models import (
    Consultation,
    ConsultationState,
    Criterion,
    Participant,
    ParticipantRole,
    Question,
    QuestionKind,
    Questionnaire,
)
from consult.core.audit import AuditEvent
from consult.core.jobs.models import Job, JobState
from consult.core.submissions import FormSubmission
from consult.feedback.models import Answer, Comment, CommentRevision, Rating, Stance
from consult.plan.models import ItemKind, Plan, PlanItem, WorkingGroup
from consult.review.models import (
    ClusterRun,
    CommentLink,
    Decision,
    DuplicateGroup,
    LinkSource,
    MembershipSource,
    Outcome,
    RunState,
    Topic,
    TopicMembership,
    TopicOrigin,
)

__all__ = [
    "AccessToken", "Affiliation", "Answer", "AuditEvent", "ClusterRun", "Comment", "CommentLink",
    "CommentRevision", "Consultation", "ConsultationState", "Criterion", "Decision",
    "DuplicateGroup", "FormSubmission", "ItemKind", "Job", "JobState", "LinkSource", "MembershipSource", "Outcome",
    "Participant",
    "ParticipantRole", "Plan", "PlanItem", "Question", "QuestionKind", "Questionnaire", "Rating",
    "Role", "RunState", "Stance", "Topic", "TopicMembership", "TopicOrigin", "TokenPurpose", "User",
    "WorkingGroup",
]
