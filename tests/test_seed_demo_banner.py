"""The banner `make run` prints (`manage.py seed_demo --address … --port …`): in Russian, the address and port the
server is about to listen on, and for each demo account what waits for it in the data at the moment it is printed."""

from __future__ import annotations

from io import StringIO
from itertools import takewhile

import pytest
from django.core.management import CommandError, call_command

from metodservice import demo
from metodservice.management.commands.seed_demo import portal_url
from structure import services
from structure.models import Order, OrderStatus, Person


def banner(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def line_of(output: str, username: str) -> str:
    """The banner's lines of one account: its own, and those of the hints under it (each starts with «→»)."""
    lines = output.splitlines()
    start = next(index for index, line in enumerate(lines) if line.split()[:1] == [username])
    hints = takewhile(lambda line: line.strip().startswith("→"), lines[start + 1 :])
    return "\n".join([lines[start], *hints])


@pytest.mark.parametrize(
    ("address", "port", "url"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000/"),
        ("0.0.0.0", 8080, "http://127.0.0.1:8080/"),  # every interface: this computer's browser opens the loopback
        ("localhost", 8001, "http://localhost:8001/"),
        ("::", 8000, "http://[::1]:8000/"),
        ("::1", 9000, "http://[::1]:9000/"),
        ("192.168.1.10", 80, "http://192.168.1.10:80/"),
    ],
)
def test_the_address_to_open(address, port, url):
    assert portal_url(address, port) == url


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "1 приказ ждёт вашей подписи"),
        (2, "2 приказа ждут вашей подписи"),
        (5, "5 приказов ждут вашей подписи"),
        (11, "11 приказов ждут вашей подписи"),
        (21, "21 приказ ждёт вашей подписи"),
    ],
)
def test_a_hint_says_the_number_in_good_russian(count, text):
    say = dict(demo.HINTS)["to_sign"]
    assert say(count) % {"count": count} == text


class BannerChecks:
    """Run by tests.test_seed_demo.SeededTest on the demo seeded once for all its checks: `first` is the banner of
    that first run. Each test runs in its own rolled-back transaction."""

    first: str

    @classmethod
    def prepare(cls, output: str) -> None:
        cls.first = output

    def test_the_first_run_names_the_default_address_in_russian(self):
        assert "Портал: http://127.0.0.1:8000/" in self.first
        assert "Демо-колледж создан" in self.first
        assert "Учётные записи демо (пароль: demo):" in self.first

    def test_the_banner_names_the_address_and_port_it_is_given(self):
        output = banner("--address", "127.0.0.1", "--port", "8080")
        assert "Портал: http://127.0.0.1:8080/" in output
        assert ":8000" not in output
        assert "ничего не изменилось" in output

    def test_every_interface_says_how_to_reach_it(self):
        output = banner("--address", "0.0.0.0", "--port", "8000")
        assert "Портал: http://127.0.0.1:8000/" in output
        assert "ALLOWED_HOSTS" in output

    def test_a_port_that_is_not_one_is_refused(self):
        for port in ("0", "65536", "http"):
            with pytest.raises(CommandError, match="port"):
                banner("--port", port)

    def test_a_hint_is_read_from_the_data_when_the_banner_is_printed(self):
        waiting = "1 приказ ждёт вашей подписи"
        assert waiting in line_of(self.first, "director")
        assert "приказ ждёт вашей визы" in line_of(self.first, "chair")
        assert "ждёт вашей подписи" not in line_of(self.first, "teacher")

        # The director signs the order that waited: the next banner no longer says it waits.
        director = Person.objects.get(user__username="director")
        for order in Order.objects.filter(status=OrderStatus.ON_SIGNING):
            services.order_sign(order=order, person=director)
        output = banner()
        assert "ждёт вашей подписи" not in line_of(output, "director")
        assert "ждут вашей подписи" not in line_of(output, "director")
        assert line_of(output, "director").endswith("директор: подписывает или возвращает приказы")

    def test_accounts_without_anything_waiting_say_only_their_part(self):
        assert line_of(self.first, "admin").endswith(
            "суперпользователь: учётные записи и справочники, без согласований и решений"
        )
