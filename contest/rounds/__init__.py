"""Judging in rounds: a first round, a shortlist per category, a final round."""
