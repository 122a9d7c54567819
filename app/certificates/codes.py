"""Verification codes: 12 characters from 32 unambiguous ones (60 bits), easy to type from paper."""

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
LENGTH = 12


def new_code() -> str:
    """A fresh random code, e.g. "K7QMX2RTPA9D"."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(text: str) -> str | None:
    """The code as stored, from what a person typed ("k7qm-x2rt-pa9d"), or None if impossible."""
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def display_code(code: str) -> str:
    """Grouped for reading: "K7QM-X2RT-PA9D"."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
