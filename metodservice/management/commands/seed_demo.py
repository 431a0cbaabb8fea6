"""`manage.py seed_demo`: fill an empty development database with a demo college and print the demo accounts.

The banner names the address the development server is about to listen on (`make run` passes its HOST and PORT
as --address and --port) and, for each account, what waits for it in the data at that moment."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from metodservice import demo
from structure.demo_data import PASSWORD

DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8000
#: Addresses on which runserver listens on every interface: the browser on this computer opens the loopback one.
ALL_INTERFACES = {"0.0.0.0": "127.0.0.1", "::": "::1", "0": "127.0.0.1"}


def portal_url(address: str, port: int) -> str:
    """The address to open in a browser for a server listening on `address`:`port` («http://127.0.0.1:8000/»)."""
    host = ALL_INTERFACES.get(address, address) or DEFAULT_ADDRESS
    if ":" in host:  # an IPv6 address
        host = f"[{host.strip('[]')}]"
    return f"http://{host}:{port}/"


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise CommandError(f"--port: {value!r} is not a TCP port (1–65535).")
    return port


class Command(BaseCommand):
    help = (
        "Create a demo college (about 60 staff, the council, associations, creative groups, the lab and the "
        "attestation commission, all set up by signed orders) and demo accounts with the password «demo», then "
        "print the accounts and the portal's address. Runs only with DEBUG on; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default=DEFAULT_ADDRESS,
            help=f"the address the development server listens on, as given to runserver (default {DEFAULT_ADDRESS})",
        )
        parser.add_argument(
            "--port",
            default=str(DEFAULT_PORT),
            help=f"the port the development server listens on (default {DEFAULT_PORT})",
        )

    def handle(self, *args, **options):
        address, port = options["address"].strip(), _port(str(options["port"]).strip())
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
                    _(
                        "The demo college is created: staff: %(staff)s, units: %(units)s, signed orders: "
                        "%(signed)s, orders in progress: %(in_progress)s."
                    )
                    % {
                        "staff": result.staff,
                        "units": result.units,
                        "signed": result.signed_orders,
                        "in_progress": result.orders_in_progress,
                    }
                )
            )
        else:
            self.stdout.write(_("The demo college is already in place; nothing has changed."))
        self.banner(address, port)

    def banner(self, address: str, port: int) -> None:
        url = portal_url(address, port)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("The portal: %(url)s") % {"url": url}))
        if address in ALL_INTERFACES:
            self.stdout.write(
                _(
                    "The server listens on every network interface: from another computer, open this computer's "
                    "address (it must be in ALLOWED_HOSTS)."
                )
            )
        self.stdout.write(_("Demo accounts (password: %(password)s):") % {"password": PASSWORD})
        accounts = demo.accounts()
        headers = (_("login"), _("full name"), _("role; below it, what waits for the account now"))
        width_user = max(len(headers[0]), *(len(account.username) for account in accounts))
        width_name = max(len(headers[1]), *(len(account.name) for account in accounts))
        indent = " " * (2 + width_user + 2 + width_name + 2)
        lines = [f"  {headers[0]:<{width_user}}  {headers[1]:<{width_name}}  {headers[2]}"]
        lines.append("  " + "-" * (len(lines[0]) - 2))
        for account in accounts:
            lines.append(f"  {account.username:<{width_user}}  {account.name:<{width_name}}  {account.role}")
            lines.extend(f"{indent}→ {hint}" for hint in account.hints)
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("")
