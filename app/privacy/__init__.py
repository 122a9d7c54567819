"""Privacy (GDPR): what the platform holds about a person, erasure, retention, the audit log."""
