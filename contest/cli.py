"""Command-line tools: `flask --app contest <command>`."""
import os
from pathlib import Path

import click
from flask import Flask

from contest.enums import Role
from contest.extensions import db


def init_app(app: Flask) -> None:
    @app.cli.command("create-organizer")
    @click.option("--email", prompt=True)
    @click.option("--name", "full_name", prompt=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--admin", is_flag=True, help="A site administrator: sees and manages every contest.")
    def create_organizer(email, full_name, password, admin):
        """Create an organizer account (without --admin: sees only contests it holds a role in)."""
        from contest.accounts.services import create_staff_user

        user = create_staff_user(email=email, full_name=full_name, password=password, role=Role.ORGANIZER)
        user.is_admin = admin
        db.session.commit()
        click.echo(f"Organizer {user.email} created.")

    @app.cli.command("setup-link")
    def setup_link():
        """Print a one-time link that creates the first organizer (none if one exists)."""
        from contest.accounts.services import issue_setup_link

        link = issue_setup_link()
        db.session.commit()
        if link:
            click.echo(f"\n  No organizer yet. Open this one-time link to create one:\n  {link}\n")

    @app.cli.command("reconcile")
    def reconcile():
        """Re-queue jobs that Redis lost or whose worker died."""
        from contest.jobs.services import reconcile_jobs

        click.echo(f"{reconcile_jobs()} job(s) re-queued.")

    @app.cli.command("remind-jurors")
    def remind_jurors():
        """Queue reminder e-mails to jurors behind schedule (at most one per juror per day)."""
        from sqlalchemy import select

        from contest.contests.models import Contest, Phase
        from contest.judging.services import queue_reminders

        total = 0
        for contest in db.session.scalars(select(Contest).where(Contest.phase == Phase.JUDGING)):
            if contest.judging_ends_at is None:
                click.echo(f"contest {contest.id}: no judging deadline; set it in the contest settings.")
            total += len(queue_reminders(contest=contest))
        db.session.commit()
        click.echo(f"{total} reminder(s) queued.")

    @app.cli.command("demo")
    @click.option("--entries", default=60, show_default=True, type=click.IntRange(3, 1_000_000),
                  help="How many students, each with one essay (over 600: the scale demo).")
    @click.option("--jurors", type=click.IntRange(3, 100_000), default=None,
                  help="The scale demo: this many generated jurors, bulk inserted (see README).")
    @click.option("--seed", default=2026, show_default=True, help="Random seed of the generated data.")
    @click.option("--rounds", default=1, show_default=True, type=click.IntRange(1, 2),
                  help="2: a first round, a shortlist (top 3 per category) and a final round.")
    def demo(entries, jurors, seed, rounds):
        """Fill an empty database with the demo contest "Zero tolerance to offenses".

        Refuses to run when the database holds anything that is not from an earlier demo."""
        from contest.demo.seed import DemoRefused, run_demo

        try:
            if jurors is not None or entries > 600:
                if rounds != 1:
                    raise click.UsageError("The scale demo (--jurors, or over 600 entries) has one round.")
                _scale_demo(entries, jurors or max(3, entries // 33), seed)
                return
            result = run_demo(entries=entries, seed=seed, rounds=rounds, log=click.echo)
        except DemoRefused as exc:
            raise click.ClickException(
                f"Demo refused: {exc}\n"
                "To try the demo beside it, build it in an instance folder of its own:\n"
                "  CONTEST_INSTANCE_PATH=$PWD/instance-demo make demo\n"
                "  CONTEST_INSTANCE_PATH=$PWD/instance-demo PORT=5001 make run") from None
        accounts_file = _write_demo_accounts(result, Path(app.instance_path))
        _print_demo(result, accounts_file)


def _scale_demo(entries: int, jurors: int, seed: int) -> None:
    """The demo at national size (contest/demo/scale.py): bulk inserts, one shared password."""
    import time

    from contest.demo.scale import run_scale_demo

    started = time.perf_counter()
    result = run_scale_demo(entries=entries, jurors=jurors, seed=seed, log=click.echo)
    click.echo(f"\nScale demo \"{result.contest.title_in('en')}\" (id {result.contest.id}) is in judging: "
               f"{result.entries:,} entries, {result.reviews:,} submitted reviews by "
               f"{len(result.juror_emails):,} jurors, built in {time.perf_counter() - started:.0f} s.")
    click.echo(f"  organizer  {result.organizer_email}  {result.organizer_password}")
    click.echo(f"  jurors     {result.juror_emails[0]} ... {result.juror_emails[-1]}  "
               f"{result.shared_password}")
    click.echo(f"  students   {result.student_emails[0]} ... {result.student_emails[-1]}  "
               f"{result.shared_password}")


def _write_demo_accounts(result, instance: Path) -> Path:
    """Every demo account with its password, readable by the owner only: the terminal shows a few."""
    path = instance / "demo-accounts.txt"
    rows = [result.organizer, *result.jurors, *result.students]
    lines = ["role\te-mail\tpassword\tname"]
    lines += [f"{a.role}\t{a.email}\t{a.password}\t{a.name}" for a in rows]
    instance.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def _print_demo(result, accounts_file: Path) -> None:
    contest = result.contest
    if result.replaced:
        click.echo("(The earlier demo in this database was replaced.)")
    click.echo(f"\nDemo contest \"{contest.title_in('en')}\" (id {contest.id}) is in judging: "
               f"{result.entries} entries, {result.assignments} reviews submitted by "
               f"{len(result.jurors)} jurors.")
    if result.finalists:
        click.echo(f"Two rounds: {result.finalists} finalists shortlisted (top 3 per category), "
                   f"{result.final_reviews} final-round reviews by the final jury; the ranking and the "
                   "awards follow the final round (Judging -> Rounds and shortlist).")
    if result.not_ready:
        click.echo(f"Entries not ready: {', '.join(result.not_ready)}")
    click.echo("Next: sign in as the organizer, open the contest's Ranking, then Awards -> Publish.\n")
    rows = [result.organizer, *result.jurors, *result.students[:6]]
    width = max(len(a.email) for a in rows)
    click.echo(f"  {'role':<9} {'e-mail':<{width}}  {'password':<14} name")
    for account in rows:
        note = f"  ({account.note})" if account.note else ""
        click.echo(f"  {account.role:<9} {account.email:<{width}}  {account.password:<14} "
                   f"{account.name}{note}")
    total = 1 + len(result.jurors) + len(result.students)
    click.echo(f"\nAll {total} accounts with their passwords: {accounts_file}")
