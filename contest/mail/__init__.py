"""Outgoing e-mail: recorded in the database, delivered by a job (.eml files or SMTP)."""
