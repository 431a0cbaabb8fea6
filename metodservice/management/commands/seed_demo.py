"""`manage.py seed_demo`: fill an empty development database with a demo college and print the demo accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from metodservice import demo
from structure.demo_data import PASSWORD

URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Create a demo college (about 60 staff, the council, associations, creative groups, the lab and the "
        "attestation commission, all set up by signed orders) and demo accounts with the password «demo». "
        "Runs only with DEBUG on; running it again changes nothing."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with the password «demo» and runs only with DEBUG on "
                "(DEBUG is off here: this looks like production). Refused."
            )
        try:
            result = demo.seed()
        except demo.SeedRefused as exc:
            raise CommandError(f"seed_demo refused: {exc}.") from exc
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo college created: {result.staff} staff, {result.units} units, "
                    f"{result.signed_orders} signed orders, {result.orders_in_progress} orders in progress."
                )
            )
        else:
            self.stdout.write("Demo data is already in place; nothing changed.")
        self.stdout.write(f"\nDemo accounts (password: {PASSWORD}) at {URL}\n")
        width_user = max(len(username) for username, _name, _text in result.accounts)
        width_name = max(len(name) for _username, name, _text in result.accounts)
        rows = [(username, name, text) for username, name, text in result.accounts]
        lines = [f"  {username:<{width_user}}  {name:<{width_name}}  {text}" for username, name, text in rows]
        self.stdout.write(f"  {'login':<{width_user}}  {'name':<{width_name}}  role")
        self.stdout.write("  " + "-" * (max(len(line) for line in lines) - 2))
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("")
