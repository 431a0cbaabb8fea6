"""The benchmark's load run: sessions of the portal's roles against gunicorn on the loopback (bench/run.py starts it).

Each simulated user is one session of one role (SESSIONS, in turn): it logs in through the login form (CSRF token
and all, as a browser does; django-axes counts only failures, and these succeed), then, without pause, requests
one page after another:

- `mix`: mostly the role's main pages (its dashboard and menu, as bench/measure.py found them), sometimes a detail
  page it reached, and some writes through the real forms — a plan item marked as executed, an item of a plan being
  drafted saved, a decision's status recorded: the form is read (its CSRF token and current values), posted, and the
  page the portal redirects to is read, as a browser would;
- `floor`: the floor view (bench/urls.py) only, for the same number of sessions.

Statistics start once every session has logged in (the password hash is not the pages' cost) and last `--seconds`.

    python -m bench.locustfile --host http://127.0.0.1:8001 --plan load_plan.json --target mix --out mix.json

or, to watch it in locust's web interface, `BENCH_LOAD_PLAN=load_plan.json locust -f bench/locustfile.py`.
The plan (JSON, written by bench/run.py from bench/measure.py's discovery) gives the password and, per role, the
pages, the details and the writes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

# locust patches the standard library for gevent when imported; nothing above opens a socket or imports ssl.
import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `locust -f bench/locustfile.py` from anywhere
from bench.forms import FORM, fill, form_fields  # noqa: E402

#: The roles of the sessions, in turn: the many teachers and the methodist's office weigh more than the director.
SESSIONS = [
    "teacher",
    "methodist",
    "mo_head",
    "teacher",
    "deputy",
    "chair",
    "teacher",
    "group_lead",
    "secretary",
    "teacher",
    "director",
    "lab_head",
    "master",
    "methodist",
    "researcher",
    "admin",
]
WRITE_SHARE = 0.10  # of a session's requests in the mix (each write is three: the form, the post, the page after)
DETAIL_SHARE = 0.20

_config = {"plan": os.environ.get("BENCH_LOAD_PLAN", ""), "target": os.environ.get("BENCH_LOAD_TARGET", "mix")}
_plan: dict | None = None
_numbers = itertools.count()
state: dict = {"logged_in": 0, "login_failed": 0, "writes": Counter()}


def plan() -> dict:
    global _plan
    if _plan is None:
        _plan = json.loads(Path(_config["plan"]).read_text(encoding="utf-8"))
    return _plan


# ---------------------------------------------------------------- the user


class PortalUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        number = next(_numbers)
        self.role = SESSIONS[number % len(SESSIONS)]
        self.random = random.Random(number)
        data = plan()
        if self.role not in data["pages"]:  # an account the database lacks: the next role that it has
            self.role = [role for role in SESSIONS if role in data["pages"]][number % len(data["pages"])]
        self.pages = data["pages"][self.role]
        self.details = data["details"].get(self.role, [])
        self.writes = data["writes"].get(self.role, [])
        try:
            self.log_in(data["password"])
        except Exception:
            state["login_failed"] += 1
            raise
        state["logged_in"] += 1

    def log_in(self, password: str) -> None:
        page = self.client.get("/accounts/login/", name="login")
        fields = form_fields(page.text, "/accounts/login/") or []
        fields = [(k, v) for k, v in fields if k not in {"username", "password"}]
        fields += [("username", self.role), ("password", password)]
        with self.client.post(
            "/accounts/login/", data=urlencode(fields), headers=FORM, name="login", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"{self.role} could not log in ({response.status_code})")
                raise RuntimeError(f"{self.role} could not log in")

    def get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {self.role}")

    @task
    def step(self) -> None:
        if _config["target"] == "floor":
            self.get("/bench/floor/", "floor")
            return
        roll = self.random.random()
        if self.writes and roll < WRITE_SHARE:
            self.write(self.random.choice(self.writes))
        elif self.details and roll < WRITE_SHARE + DETAIL_SHARE:
            page = self.random.choice(self.details)
            self.get(page["url"], page["name"])
        else:
            page = self.random.choice(self.pages)
            self.get(page["url"], page["name"])

    def write(self, target: dict) -> None:
        kind, url = target["kind"], target["url"]
        with self.client.get(url, name=f"{kind} form", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {self.role}")
                return
            fields = form_fields(response.text, url)
            if fields is None:
                response.failure("no form on the page")
                return
        with self.client.post(
            url, data=urlencode(fill(kind, fields)), headers=FORM, name=kind, allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"the form was refused ({response.status_code})")
                return
            location = urlsplit(response.headers.get("Location", ""))
        state["writes"][kind] += 1
        self.get(location.path + (f"?{location.query}" if location.query else ""), "page after a write")


# ---------------------------------------------------------------- a timed run (bench/run.py)


def _entry(entry) -> dict:
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "p50_ms": entry.get_response_time_percentile(0.5) if entry.num_requests else None,
        "p95_ms": entry.get_response_time_percentile(0.95) if entry.num_requests else None,
        "p99_ms": entry.get_response_time_percentile(0.99) if entry.num_requests else None,
    }


def run(*, host: str, users: int, seconds: float, login_timeout: float = 300) -> dict:
    """`users` sessions against `host`: wait until all have logged in, then measure for `seconds`."""
    environment = Environment(user_classes=[PortalUser], host=host)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    deadline = time.monotonic() + login_timeout
    while state["logged_in"] + state["login_failed"] < users and time.monotonic() < deadline:
        gevent.sleep(0.2)
    if state["logged_in"] < users:
        runner.quit()
        return {"error": f"{state['logged_in']} of {users} sessions logged in ({state['login_failed']} refused)"}
    runner.stats.reset_all()
    state["writes"].clear()
    started = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - started
    total = _entry(runner.stats.total)
    by_name = {f"{method} {name}": _entry(entry) for (name, method), entry in sorted(runner.stats.entries.items())}
    errors = [
        {"name": error.name, "error": str(error.error), "occurrences": error.occurrences}
        for error in runner.stats.errors.values()
    ]
    writes = dict(state["writes"])
    runner.quit()
    return {**total, "rps": round(total["requests"] / elapsed, 1), "seconds": round(elapsed, 1),
            "by_name": by_name, "errors": errors[:20], "writes": writes}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--plan", required=True, help="the load plan (JSON) bench/run.py wrote")
    parser.add_argument("--target", choices=["mix", "floor"], default="mix")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--out", required=True, help="where to write the result (JSON)")
    args = parser.parse_args(argv)
    _config.update(plan=args.plan, target=args.target)
    result = run(host=args.host, users=args.users, seconds=args.seconds)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
