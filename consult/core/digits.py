"""Numbers as people read them: Persian digits and separators."""
from persiantools import digits


def fa_digits(value) -> str:
    """Any value as text with Persian digits."""
    return digits.en_to_fa(str(value)) if value is not None else ""


def fa_number(value, decimals: int = 0) -> str:
    """A number with Persian digits and the Persian thousands separator."""
    if value is None:
        return ""
    text = f"{float(value):,.{decimals}f}" if decimals else f"{int(round(float(value))):,}"
    return fa_digits(text.replace(",", "٬").replace(".", "٫"))


def latin_digits(text: str | None) -> str:
    """Text with Persian (۰…۹) and Arabic-Indic (٠…٩) digits as ASCII ones, as people type either."""
    return digits.fa_to_en(digits.ar_to_fa(text or ""))
