"""Persian names of roles and affiliations."""
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
