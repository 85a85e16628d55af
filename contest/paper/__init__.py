"""Entries the organizer enters for a pupil (received on paper or by e-mail), their printed
receipt slip, and the pupil's claim of the entry with the slip's code and key."""
