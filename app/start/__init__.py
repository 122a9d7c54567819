"""The start page: the landing page, or what to do next for the logged-in user's role."""
