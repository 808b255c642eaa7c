"""How Flask-Login finds the signed-in user."""
import hmac

from consult.auth.models import User, session_stamp
from consult.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The active user named by User.get_id(); an id issued before their sessions were ended finds nobody."""
    number, _, stamp = user_id.partition("-")
    user = db.session.get(User, int(number)) if number.isdigit() else None
    if user is None or not user.active:
        return None
    return user if hmac.compare_digest(stamp, session_stamp(user.password_hash, user.session_generation)) else None
