"""Contests: set-up (texts, topics, categories, rules, rubric, award tiers), phases, jurors."""
