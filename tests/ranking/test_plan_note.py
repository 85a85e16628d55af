"""Before judging: the assignment preview says how well the plan lets the default ranking
correct juror severity, and what to change when jurors are barely linked."""
from html import unescape

from contest.enums import Role
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user


def _preview(client, auth, contest) -> str:
    auth.login(make_user(Role.ORGANIZER))
    return unescape(client.get(f"/judging/contests/{contest.id}/assign").get_data(as_text=True))


def test_fixed_panels_joined_by_one_swap_get_a_warning_and_the_fix(app, client, auth):
    contest = make_contest(phase="judging", n_categories=1, k=3)
    names = ["Aigul", "Bolat", "Dana", "Erlan", "Gulnar", "Ilyas"]
    jurors = [make_juror(contest=contest, full_name=n) for n in names]
    panels = [jurors[:3], jurors[3:]]
    entries = [make_entry(contest) for _ in range(20)]
    readers = [list(panels[i % 2]) for i in range(20)]
    readers[0][0], readers[1][0] = jurors[3], jurors[0]  # one swap joins the panels
    for entry, panel in zip(entries, readers):
        for juror in panel:
            make_assignment(entry, juror)
    page = _preview(client, auth, contest)
    assert "With this plan the jurors of Category 1 are weakly linked" in page
    assert "The weakest link: " in page and "share only 2 essays." in page
    assert "re-run the assignment so that about" in page


def test_a_mixed_plan_is_called_well_mixed(app, client, auth):
    contest = make_contest(phase="judging", n_categories=1, k=3)
    for _ in range(60):  # 30 reviews per juror
        make_entry(contest)
    for _ in range(6):
        make_juror(contest=contest)
    page = _preview(client, auth, contest)
    assert "The jurors are well mixed: with this plan the default ranking can remove about" in page
    assert "weakly linked" not in page
