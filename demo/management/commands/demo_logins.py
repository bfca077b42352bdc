from django.core.management.base import BaseCommand

from demo.staff import DEMO_PASSWORD, DEMO_STAFF, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print how to sign in as each demo role."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args, base_url, **options):
        w = self.stdout.write
        w("")
        w(self.style.SUCCESS(f"The demo is running at {base_url}/"))
        w(f"Sign in at {base_url}/accounts/login/ with password  {DEMO_PASSWORD}")
        for spec in DEMO_STAFF:
            w(f"  {spec.email:<26} {spec.description}")
        w("Staff sign-in asks for a two-factor code. Either add this secret to an")
        w(f"authenticator app:  {DEMO_TOTP_SECRET}")
        w("or print the current code with:")
        w("  .venv/bin/python manage.py totp_code officer@demo.example")
        w("")
