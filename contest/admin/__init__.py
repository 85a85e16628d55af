"""Organizer administration: people, invitations."""
