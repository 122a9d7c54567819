"""Helpers shared by the tests: plain functions and constants, imported where needed.

Test modules import from here (or ask for fixtures), never from one another.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COURSES_DIR = ROOT / "courses"
PASSWORD = "rätt-lösenord-123"
