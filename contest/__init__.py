"""Essay contest platform."""
