"""Plain words for the organizer: how much severity correction the default applied and why,
and the assignment change that would let it correct more (see shrink.Linkage)."""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from contest.ranking import core, shrink

NAMES_SHOWN = 4


@dataclass(frozen=True)
class LinkageNote:
    """level: "ok" (full correction or nothing to correct) or "warn" (partial); text says
    which it was and why; advice (may be empty) the assignment change that would fix it."""

    level: str
    text: str
    advice: str


def _names(indices, jurors, names: dict) -> str:
    """The first NAMES_SHOWN jurors' names (`jurors`: their ids, or JurorStat rows)."""
    ids = [getattr(jurors[i], "juror_id", jurors[i]) for i in indices[:NAMES_SHOWN]]
    shown = [names.get(jid, str(jid)) for jid in ids]
    rest = len(indices) - len(shown)
    text = ", ".join(shown)
    return text + (" " + _("and %(n)d more", n=rest) if rest > 0 else "")


def linkage_note(ranking: core.Ranking, names: dict) -> LinkageNote | None:
    """The note for one group's ranking; None when the method applies no shrinkage
    ("severity_full") or nothing was ranked."""
    link = ranking.linkage
    if link is None or not ranking.entries:
        return None
    if math.isnan(link.share):
        return LinkageNote("ok", _("The severity correction changes no score here: within each "
                                   "part, every essay was read by the same jurors."), "")
    if link.severity_sd < 1e-9:
        return LinkageNote("ok", _("No severity correction: the reviews show no difference in "
                                   "severity between jurors beyond chance, so the scores are the "
                                   "plain means."), "")
    share = round(100 * link.share)
    if link.share >= shrink.WELL_LINKED:
        return LinkageNote("ok", _(
            "Full severity correction (%(share)d%%): the jurors are well mixed, each shares essays "
            "with %(partners)s other jurors on average, so every juror's severity is measured well "
            "and removed.", share=share, partners=format_decimal(link.partners, "#,##0.0")), "")
    text = _("Partial severity correction (%(share)d%% of the full one): the jurors are weakly "
             "linked, so their severities are uncertain and the scores stay closer to the plain "
             "mean, which is safer than correcting by guesswork.", share=share)
    extra, advice = _weakest_link(link, ranking.jurors, names)
    return LinkageNote("warn", text + extra, advice)


def _weakest_link(link: shrink.Linkage, jurors, names: dict) -> tuple[str, str]:
    """(" The weakest link: ...", the assignment change that fixes it), or ("", "")."""
    if not (link.side_a and link.side_b):
        return "", ""
    a, b = _names(link.side_a, jurors, names), _names(link.side_b, jurors, names)
    text = " " + (ngettext(
        "The weakest link: %(a)s and %(b)s share only %(num)d essay.",
        "The weakest link: %(a)s and %(b)s share only %(num)d essays.", link.shared_now,
        a=a, b=b) if link.shared_now else _(
        "The weakest link: %(a)s and %(b)s share no essay; they are compared only through "
        "other jurors.", a=a, b=b))
    advice = ngettext(
        "To fix it before judging starts, re-run the assignment so that about %(num)d essay "
        "is read by jurors of both groups (mixed panels rather than fixed ones).",
        "To fix it before judging starts, re-run the assignment so that about %(num)d essays "
        "are read by jurors of both groups (mixed panels rather than fixed ones).",
        link.shared_needed)
    return text, advice


def plan_note(groups: dict, names_of: Callable[[set], dict]) -> LinkageNote | None:
    """For an assignment plan: `groups` maps a group's label (e.g. a category) to its
    (entry, juror) pairs. The note speaks of the least linked group, assuming jurors differ
    in severity about as much as their marks vary by chance (shrink.PLAN_RATIO); None when
    there is nothing to judge (no group with two jurors sharing an essay)."""
    worst = None
    for label, pairs in groups.items():
        if not pairs:
            continue
        link = shrink.design_linkage(pairs)
        if not math.isnan(link.share) and (worst is None or link.share < worst[1].share):
            jurors = list(dict.fromkeys(j for _e, j in pairs))
            worst = (label, link, jurors)
    if worst is None:
        return None
    label, link, jurors = worst
    share = round(100 * link.share)
    if link.share >= shrink.WELL_LINKED:
        return LinkageNote("ok", _(
            "The jurors are well mixed: with this plan the default ranking can remove about "
            "%(share)d%% of each juror's severity (each shares essays with %(partners)s other "
            "jurors on average).", share=share, partners=format_decimal(link.partners, "#,##0.0")), "")
    text = _("With this plan the jurors of %(group)s are weakly linked: the default ranking could "
             "remove only about %(share)d%% of each juror's severity (assuming jurors differ in "
             "severity about as much as their marks vary by chance).", group=label, share=share)
    side_ids = {jurors[i] for i in link.side_a + link.side_b}
    extra, advice = _weakest_link(link, jurors, names_of(side_ids))
    return LinkageNote("warn", text + extra, advice)
