"""The organizer's desk: team (roles), entries registry, participants, counts, statistics, audit log."""
