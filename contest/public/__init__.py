"""Public pages: home, language choice, and the signed-in user's dashboard."""
