"""Command-line tools: `flask --app contest <command>`."""
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
    @click.option("--entries", default=60, show_default=True, type=click.IntRange(3, 600),
                  help="How many students, each with one essay.")
    @click.option("--seed", default=2026, show_default=True, help="Random seed of the generated data.")
    def demo(entries, seed):
        """Fill an empty database with the demo contest "Zero tolerance to offenses".

        Refuses to run when the database holds anything that is not from an earlier demo."""
        from contest.demo.seed import DemoRefused, run_demo

        try:
            result = run_demo(entries=entries, seed=seed, log=click.echo)
        except DemoRefused as exc:
            raise click.ClickException(f"Demo refused: {exc}") from None
        _print_demo(result)


def _print_demo(result) -> None:
    contest = result.contest
    if result.replaced:
        click.echo("(The earlier demo in this database was replaced.)")
    click.echo(f"\nDemo contest \"{contest.title_in('en')}\" (id {contest.id}) is in judging: "
               f"{result.entries} entries, {result.assignments} reviews submitted by "
               f"{len(result.jurors)} jurors.")
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
    click.echo("\nThe other students' passwords are random and not shown. Passwords are printed only once.")
