"""The password rule (NIST SP 800-63B): at least 12 characters, no composition rules, the most
common passwords and ones made of the person's own name or address refused."""

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 200
# Passwords of 12+ characters that lists of leaked passwords show again and again (lowercase).
COMMON = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "123456789123",
        "111111111111",
        "000000000000",
        "123123123123",
        "121212121212",
        "112233445566",
        "123456654321",
        "987654321098",
        "qwertyuiopasdf",
        "qwertyuiop12",
        "qwertyuiop123",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "qazwsxedcrfv",
        "asdfghjkl123",
        "password1234",
        "password12345",
        "password123456",
        "passwordpassword",
        "iloveyou1234",
        "welcome12345",
        "letmein12345",
        "changeme1234",
        "abcdefghijkl",
        "abc123abc123",
        "aaaaaaaaaaaa",
        "trustno1trustno1",
        "lösenord1234",
        "lösenord12345",
        "losenord1234",
        "losenord12345",
        "lösenordlösenord",
        "hejhejhejhej",
        "hejsan123456",
        "sommar123456",
        "sommar2024!!",
        "sommar2025!!",
        "sommar2026!!",
        "vinter123456",
        "sverige12345",
        "sverige123456",
        "stockholm123",
        "dalarna12345",
        "falun1234567",
        "mora12345678",
        "vimotsresfritt",
        "resfritt1234",
        "mötesagent12",
        "motesagent12",
        "kommunen1234",
        "kommun123456",
    }
)


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """What is wrong with a new password, for the form (empty when it may be used)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("Lösenordet behöver minst %(n)d tecken.", n=MIN_LENGTH)))
    if len(password) > MAX_LENGTH:
        problems.append(str(_l("Lösenordet får vara högst %(n)d tecken.", n=MAX_LENGTH)))
    folded = password.strip().lower()
    own = {email.lower(), email.lower().partition("@")[0], name.lower().replace(" ", "")}
    if folded in COMMON or len(set(folded)) <= 2 or folded in own - {""}:
        problems.append(
            str(
                _l(
                    "Lösenordet är för vanligt eller lätt att gissa. Välj ett annat, gärna "
                    "flera ord efter varandra."
                )
            )  # fmt: skip
        )
    return problems
