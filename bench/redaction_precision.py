"""Precision of blind redaction on the demo corpus (see contest/demo/precision.py).

    python bench/redaction_precision.py [--essays 600]
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contest.demo.precision import measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--essays", type=int, default=600)
    args = parser.parse_args()
    p = measure(args.essays)
    print("| essays | words | removed | in the author line | elsewhere | of which the author's own name | "
          "author-line names missed | not identity | outside the author line |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {p.essays} | {p.words} | {p.removed} | {p.identity} | {p.other} | {p.same_name} | {p.missed} | "
          f"{100 * p.not_identity_share:.2f}% | {100 * p.other_share:.2f}% |")


if __name__ == "__main__":
    main()
