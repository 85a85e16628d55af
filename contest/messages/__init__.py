"""Messages from the organizer to groups of students or jurors (e-mail and dashboard)."""
