"""Privacy: what the platform holds about a person, for the person (GDPR art. 15 and 20)."""
