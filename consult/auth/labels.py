"""Persian names of roles and affiliations, and parse_choice, which every import uses to read such names."""
from consult.auth.models import Affiliation, Role

ROLE_LABELS = {
    Role.EXPERT: "خبره",
    Role.SECRETARY: "دبیر کارگروه",
    Role.PLANNER: "برنامه‌ریز",
    Role.ADMIN: "مدیر سامانه",
}

AFFILIATION_LABELS = {
    Affiliation.SEMINARY: "حوزوی",
    Affiliation.ACADEMIC: "دانشگاهی",
    Affiliation.EXECUTIVE: "دستگاه اجرایی",
    Affiliation.SECRETARIAT: "دبیرخانه",
    Affiliation.OTHER: "سایر",
}


def role_label(role: Role) -> str:
    """The Persian name of a role."""
    return ROLE_LABELS.get(role, str(role))


def affiliation_label(affiliation: Affiliation) -> str:
    """The Persian name of an affiliation."""
    return AFFILIATION_LABELS.get(affiliation, str(affiliation))


def parse_choice(value: str, labels: dict, aliases: dict | None = None):
    """The enum member named by its value, its Persian label or one of `aliases`; None when none matches."""
    text = value.strip()
    for member, label in labels.items():
        if text.lower() == member.value or text == label:
            return member
    return (aliases or {}).get(text.lower())
