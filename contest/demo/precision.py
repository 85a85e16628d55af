"""Precision of blind redaction on the demo corpus: of the words removed, how many were not
about the author. Pure: no Flask, no database.

The corpus is built as the demo seed builds it: students with the demo names and schools,
essays from the demo generator, and (for about a third) the author line "name, school"
under the title. Identity words are those of the author line; every other removed word
counts against precision, including a story character who happens to share the author's
given name (reported apart, as `same_name`).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from contest.demo import content, generator
from contest.demo.phrases import TOPIC_KEYS
from contest.extraction.names import name_forms, skeleton
from contest.extraction.redaction import Author, redact_text

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Precision:
    essays: int
    words: int
    removed: int  # words removed in all
    identity: int  # of them, in the author line
    other: int  # removed outside the author line
    same_name: int  # of `other`, a form of one of the author's own name parts
    missed: int  # author-line name words left in the text (should be 0)

    @property
    def other_share(self) -> float:
        """Removed outside the author line, namesakes of the author included."""
        return self.other / self.removed if self.removed else 0.0

    @property
    def not_identity_share(self) -> float:
        """Removed words that are neither in the author line nor a form of the author's name."""
        return (self.other - self.same_name) / self.removed if self.removed else 0.0


def measure(n: int = 600, seed: int = 11) -> Precision:
    """Redact `n` demo essays (kk, ru, en in turn) and count what was removed where."""
    rng = random.Random(seed)
    totals = dict(words=0, removed=0, identity=0, other=0, same_name=0, missed=0)
    for i in range(n):
        language = ("kk", "ru", "en")[i % 3]
        first, last = content.STUDENT_NAMES[language]
        name = f"{rng.choice(first)} {rng.choice(last)}"
        school = rng.choice(content.STUDENT_SCHOOLS)
        line = f"{name}, {school}" if rng.random() < 0.35 else ""
        essay = generator.write_essay(rng, language=language, topic=rng.choice(TOPIC_KEYS),
                                      quality=rng.random(), author_line=line)
        text = essay.text
        result = redact_text(text, Author(full_name=name, school=school))
        line_start = text.find(line) if line else -1
        line_end = line_start + len(line)
        own = set().union(*(name_forms(p) for p in _WORD.findall(name)))
        for m in _WORD.finditer(text):
            totals["words"] += 1
            removed = any(s.start <= m.start() < s.end for s in result.spans)
            in_line = line_start <= m.start() < line_end
            if removed:
                totals["removed"] += 1
                if in_line:
                    totals["identity"] += 1
                else:
                    totals["other"] += 1
                    totals["same_name"] += skeleton(m.group()) in own
            elif in_line and skeleton(m.group()) in own:
                totals["missed"] += 1
    return Precision(essays=n, **totals)
