"""Start a background worker: `python worker.py` (uses REDIS_URL, or the embedded Redis)."""
import sys

from contest.jobs.worker import main

if __name__ == "__main__":
    main(burst="--burst" in sys.argv)
