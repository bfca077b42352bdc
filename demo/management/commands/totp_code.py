from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo.staff import current_totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (for trying the demo)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None or not email.endswith("@demo.example"):
            raise CommandError("Only the demo accounts (…@demo.example) have a published code.")
        try:
            self.stdout.write(current_totp_code(user, margin=5))
        except user.authenticator_set.model.DoesNotExist:
            raise CommandError(f"{email} has no authenticator.") from None
