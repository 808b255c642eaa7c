"""How Flask-Login finds the signed-in user."""
from consult.auth.models import User
from consult.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None
