"""Reading a choice typed in a file or form: its code or its Persian label."""


def parse_choice(value: str, labels: dict, aliases: dict | None = None):
    """The enum member named by its value, its Persian label or one of `aliases`; None when none matches."""
    text = value.strip()
    for member, label in labels.items():
        if text.lower() == member.value or text == label:
            return member
    return (aliases or {}).get(text.lower())
