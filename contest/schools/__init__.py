"""Regions (a fixed list in regions.json) and schools (a per-region list that grows as people
register; organizers merge duplicates)."""
