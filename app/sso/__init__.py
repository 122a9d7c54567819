"""Signing in with the municipality's own accounts (OpenID Connect)."""
