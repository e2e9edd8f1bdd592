"""Print the current two-step code of the demo ``admin`` (demo databases only: its key is public)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairspot.hub.management.commands.seed_demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the demo admin's current six-digit two-step verification code (demo databases only)."

    def handle(self, *args, **options):
        device = TOTPDevice.objects.filter(key=DEMO_TOTP_KEY, confirmed=True, user__username="admin").first()
        if device is None:
            raise CommandError("No demo admin with the demo two-step key here: this is not a demo database.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
