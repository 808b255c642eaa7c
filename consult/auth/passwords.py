"""Password rules: long enough, not the email, not a common choice."""
import functools
from pathlib import Path

from consult.core.digits import fa_digits

MIN_LENGTH = 10
COMMON_FILE = Path(__file__).parent / "data" / "common_passwords.txt"


@functools.cache
def common_passwords() -> frozenset[str]:
    """The short list of passwords people choose first, lowercased."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, email: str) -> list[str]:
    """Persian reasons the password is refused; empty when it is acceptable."""
    problems = []
    folded = password.strip().lower()
    local_part = email.strip().lower().partition("@")[0]
    if len(password) < MIN_LENGTH:
        problems.append(f"گذرواژه باید دست‌کم {fa_digits(MIN_LENGTH)} نویسه باشد.")
    # A very short local part (e.g. "a@…") would refuse almost everything, so only longer ones count.
    if folded == email.strip().lower() or (len(local_part) >= 3 and local_part in folded):
        problems.append("گذرواژه نباید نشانی رایانامه یا بخشی از آن باشد.")
    if folded in common_passwords() or len(set(folded)) <= 2:
        problems.append("این گذرواژه بسیار رایج یا ساده است؛ گذرواژهٔ دیگری برگزینید.")
    return problems
