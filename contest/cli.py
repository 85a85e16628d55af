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
    def create_organizer(email, full_name, password):
        """Create an organizer account."""
        from contest.accounts.services import create_staff_user

        user = create_staff_user(email=email, full_name=full_name, password=password, role=Role.ORGANIZER)
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
            total += len(queue_reminders(contest=contest))
        db.session.commit()
        click.echo(f"{total} reminder(s) queued.")
