"""Accounts: users, roles, sign-in, tokens for invitations, setup and password reset."""
