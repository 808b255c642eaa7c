"""Plan item codes as stored: ASCII digits, whichever digits were typed."""
import unicodedata

from consult.core.digits import latin_digits
from consult.core.importing import Problem


def ascii_digits(code: str) -> str:
    """The code with Persian and Arabic-Indic digits as ASCII: 9, ۹ and ٩ are one code."""
    return latin_digits(code)


def foreign_numeral(code: str) -> str | None:
    """The first non-ASCII numeral left after ascii_digits (Ⅸ, ९, ９, ²): it would look like another code."""
    return next((ch for ch in code if not ch.isascii() and unicodedata.category(ch)[0] == "N"), None)


def numeral_problem(number: int, column: str, code: str) -> Problem:
    """The refusal of a code holding a numeral other than ASCII or Persian digits (Ⅸ, ९, ９, ²)."""
    numeral = foreign_numeral(code)
    return Problem(number, column,
                   f"کد «{code}» نویسهٔ عددیِ «{numeral}» دارد؛ رقم‌ها را لاتین (0-9) یا فارسی (۰-۹) بنویسید.",
                   f"code {code!r} holds the numeral {numeral!r} (U+{ord(numeral):04X}): use digits 0-9 or ۰-۹")
