"""The account room: one's profile, password and API tokens."""
