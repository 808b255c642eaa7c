"""Objects named in a URL, loaded or 404; a leaf module so every feature's views may import it."""
import sqlalchemy as sa

from consult.consultations.models import Consultation
from consult.core.codes import ascii_digits
from consult.extensions import db
from consult.plan.models import PlanItem


def load_consultation(slug: str, **_) -> Consultation:
    """The consultation named in the URL; 404 when there is none."""
    return db.first_or_404(sa.select(Consultation).filter_by(slug=slug))


def load_item(consultation: Consultation, code: str):
    """The item of the consultation's plan with this code, typed with Persian digits or not; 404 when there is none."""
    codes = {ascii_digits(code), code}  # a code stored before digits were unified keeps its address
    return db.first_or_404(sa.select(PlanItem).filter(PlanItem.plan_id == consultation.plan_id,
                                                      PlanItem.code.in_(codes))
                           .order_by(PlanItem.code != ascii_digits(code)))


def consultation_or_404(slug: str) -> Consultation:
    return db.first_or_404(sa.select(Consultation).filter_by(slug=slug))
