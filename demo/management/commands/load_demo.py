import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from areas.importers import ImportRejected
from areas.importers.command import TerminalProgress
from demo.acorn import load_acorn
from demo.engagement import load_engagement_demo
from demo.geography import load_geography
from demo.insight import load_insight_demo
from demo.members import create_demo_members
from demo.messages import load_message_demo, send_briefing_demo
from demo.setups import load_setups_demo
from demo.staff import create_demo_staff
from demo.surveys import load_survey_demo
from demo.targeting import load_targeting


class Command(BaseCommand):
    help = (
        "Load the demo: the Humberside force area from the open data in data/ (DATA_DIR) "
        "and demo staff. Safe to run again: a second run duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="load demo accounts even though DEBUG is off (never in production)",
        )

    def handle(self, *args, allow_without_debug=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError("Refusing to create demo accounts with DEBUG off.")
        started = time.monotonic()
        progress = TerminalProgress(enabled=sys.stderr.isatty())
        try:
            results = load_geography(progress=progress)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError("The demo data could not be imported.") from None
        finally:
            progress.close()
        for name, summary in results.items():
            self.stdout.write(
                f"{name:<14} imported {summary.imported:>6}, updated {summary.updated:>6}, "
                f"unchanged {summary.unchanged:>6}"
            )
        acorn = load_acorn(progress=progress)
        self.stdout.write(
            f"{'acorn':<14} imported {acorn.imported:>6}, updated {acorn.updated:>6}, "
            f"unchanged {acorn.unchanged:>6}"
        )
        staff = create_demo_staff()
        self.stdout.write(f"demo staff     {len(staff)} accounts")
        members = create_demo_members()
        self.stdout.write(f"demo members   {members} created")
        answered = load_survey_demo()
        self.stdout.write(f"demo surveys   {answered} past invitations created")
        items = load_engagement_demo()
        self.stdout.write(
            f"demo engagement {items} you-said-we-did items, teams for the demo wards"
        )
        # Last: crime, deprivation and scores use the members and answers loaded above.
        for name, summary in load_targeting(progress=progress).items():
            self.stdout.write(
                f"{name:<14} imported {summary.imported:>6}, updated {summary.updated:>6}, "
                f"unchanged {summary.unchanged:>6}"
            )
        progress.close()
        queued = load_message_demo()
        self.stdout.write(f"demo messages  {queued} deliveries queued (see /dev/mail/)")
        events, contacts = load_insight_demo()
        self.stdout.write(f"demo insight   {events} events, {contacts} street contacts created")
        # After the scores, items and events it reports on.
        briefed = send_briefing_demo()
        self.stdout.write(f"demo briefing  {briefed} weekly briefing queued (see /dev/mail/)")
        # After the scores: a set-up's streets come in the order of their scores.
        self.stdout.write(f"demo set-ups   {load_setups_demo()} visits added")
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {time.monotonic() - started:.0f} s."))
