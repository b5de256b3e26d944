"""Locust users for `make bench`'s load part (tests/bench/load.py starts locust with one class at a time).

Read from NORAMAL_BENCH_CONFIG (a JSON file written by load.py's seeding step): the open period, the boards
with their editor's login and goals, the controller's login, the password. Every user talks only to the
host locust is given (a gunicorn on 127.0.0.1).

One class per measurement:
- `StartPage`, `TreePage`, `GoalPage`, `StaticTree`: anonymous GETs;
- `ValuesPage` (an editor's value sheet, GET), `ValuesSave` (GET the sheet, change one value, POST the whole
  form back, as the browser does), `Overview` (the controller's overview);
- `DeadlineUser`: the reporting-deadline mix — 70 % reads, 25 % value saves, 5 % goal edits — with think
  time between pages, as people at their desks (load.py runs it with 50, 100 and 200).

Every value save is recorded (WRITES) with the answer it got, so that load.py can count the acknowledged
ones back from the database.
"""

import itertools
import json
import os
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

import gevent
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

CONFIG = json.loads(open(os.environ["NORAMAL_BENCH_CONFIG"]).read())  # noqa: SIM115
PERIOD = CONFIG["period"]
BOARDS = CONFIG["boards"]
NUMBER = re.compile(r"^-?[\d\s\xa0]*(,\d+)?$")
# Each user gets its own row to change (board by user number, row by round), so that no two users of the
# same board change the same value: a conflict would be the app working as designed, not a load error.
NEXT_USER = itertools.count()
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

# Every request's own time, written for load.py to compute exact percentiles (locust's own are rounded to
# two digits). Counted from the moment every user has started and logged in: the logins (a deliberately
# slow password hash each) are not part of the load being measured.
SAMPLES, WINDOW = [], {"start": None, "ready": 0, "cpu": 0.0}
# Every value save the app acknowledged (a redirect after the POST) as [indicator, version sent, value typed],
# and those it did not answer so: load.py reads the database afterwards for each acknowledged one.
WRITES = {"acknowledged": [], "unacknowledged": []}


def _own_cpu():
    """CPU seconds this locust process used so far: the load generator shares the server's two cores."""
    times = os.times()
    return times.user + times.system


def _user_ready(environment):
    WINDOW["ready"] += 1
    if WINDOW["ready"] == environment.parsed_options.num_users:
        SAMPLES.clear()
        WINDOW["start"] = time.monotonic()
        WINDOW["cpu"] = _own_cpu()
        ready = os.environ.get("NORAMAL_BENCH_READY")
        if ready:  # load.py starts its profile of the server now
            open(ready, "w").close()  # noqa: SIM115
        # The measured window lasts NORAMAL_BENCH_MEASURE_SECONDS however long the logins took.
        measure = os.environ.get("NORAMAL_BENCH_MEASURE_SECONDS")
        if measure:
            gevent.spawn_later(float(measure), environment.runner.quit)


@events.request.add_listener
def _record(name, response_time, response_length, exception, **_kwargs):
    if WINDOW["start"] is not None and not name.startswith("login"):
        SAMPLES.append((name, round(response_time, 2), exception is not None, response_length))


@events.quitting.add_listener
def _write_samples(environment, **_kwargs):
    seconds = time.monotonic() - WINDOW["start"] if WINDOW["start"] is not None else 0
    with open(os.environ["NORAMAL_BENCH_SAMPLES"], "w") as out:
        cpu = _own_cpu() - WINDOW["cpu"] if WINDOW["start"] is not None else 0
        json.dump({"seconds": seconds, "samples": SAMPLES, "writes": WRITES, "locust_cpu": cpu}, out)


class FormFields(HTMLParser):
    """The fields a browser would submit from the page's form that has `marker` among its field names."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"_method": (attrs.get("method") or "get").lower(), "_fields": []}
            self.forms.append(self.current)
        if self.current is None or not attrs.get("name") and tag != "option":
            return
        fields = self.current["_fields"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            fields.append([attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
            fields.append(self.textarea)
        elif tag == "select":
            self.select = {"name": attrs["name"], "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"] = value

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.select is not None and self.current is not None:
            chosen = self.select["chosen"] if self.select["chosen"] is not None else self.select["first"]
            self.current["_fields"].append([self.select["name"], chosen or ""])
            self.select = None
        elif tag == "form":
            self.current = None

    def handle_data(self, data):
        if self.textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self.textarea[1] += data if self.textarea[1] else data.removeprefix("\n")


def form_fields(html, marker):
    parser = FormFields()
    parser.feed(html)
    for form in parser.forms:
        if form["_method"] == "post" and any(name.startswith(marker) for name, _ in form["_fields"]):
            return form["_fields"]
    raise ValueError(f"no POST form with a field starting {marker!r}")


def changed_number(text, step):
    """`text` (a Swedish number, "1 234,5") moved by `step` in its last decimal; 50 when empty."""
    text = text.strip()
    if not text or not NUMBER.match(text):
        return "50"
    decimals = len(text.split(",")[1]) if "," in text else 0
    value = float(text.replace("\xa0", "").replace(" ", "").replace(",", "."))
    value = max(value + step * 10**-decimals, 0)
    return f"{value:.{decimals}f}".replace(".", ",")


def _toggled_suffix(title, suffix=" (reviderat)"):
    return title.removesuffix(suffix) if title.endswith(suffix) else title + suffix


class Person(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    login = None  # the config key of the login, or None for an anonymous visitor

    def on_start(self):
        self.number = next(NEXT_USER)
        self.board = BOARDS[self.number % len(BOARDS)]
        self.row = self.number // len(BOARDS)  # which of the board's rows this user changes
        self.visits = self.number  # turns through the goals to read
        self.step = 1
        self.edits = 0
        if self.login == "editor":
            self.log_in(self.board["username"])
        elif self.login == "controller":
            self.log_in(CONFIG["controller"])
        _user_ready(self.environment)

    def log_in(self, username):
        page = self.client.get("/konto/logga-in/", name="login page")
        token = dict(form_fields(page.text, "username"))["csrfmiddlewaretoken"]
        data = {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": CONFIG["password"],
            "next": "",
        }
        with self.client.post(
            "/konto/logga-in/", data=urlencode(data), headers=FORM, name="login", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"login of {username} answered {response.status_code}")

    def values_url(self):
        return f"/uppfoljning/perioder/{PERIOD}/org/{self.board['org']}/varden/"

    def save_values(self):
        """GET the board's value sheet, change this user's row, POST the whole form as a browser would."""
        page = self.client.get(self.values_url(), name="values page (GET before save)")
        fields = form_fields(page.text, "r")
        names = {name for name, _ in fields}
        rows = sorted(
            {
                n.split("-")[0]
                for n in names
                if re.fullmatch(r"r\d+-total", n) and f"{n[:-6]}-women" not in names
            },
            key=lambda prefix: int(prefix[1:]),
        )
        prefix = rows[self.row % len(rows)]
        target = f"{prefix}-total"
        self.step = -self.step  # up and down in turn: the value stays within the indicator's bounds
        data = [
            (name, changed_number(value, self.step) if name == target else value) for name, value in fields
        ]
        write = [int(prefix[1:]), int(dict(fields)[f"{prefix}-version"]), dict(data)[target]]
        with self.client.post(
            self.values_url(), data=urlencode(data), headers=FORM, name="values page (POST, full form)",
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 302:
                WRITES["acknowledged"].append(write)
            else:
                WRITES["unacknowledged"].append(write)
                response.failure(f"value save answered {response.status_code}")

    def edit_goal(self):
        """GET one of the board's goals' edit form and save it changed: the title or the description in turn.

        A new title changes the tree page, so every other edit renews the tree cache (a 5,000-goal render
        on the next tree page); a new description does not.
        """
        goal = self.board["goals"][self.number % len(self.board["goals"])]
        url = f"/mal/{goal}/redigera/"
        page = self.client.get(url, name="goal edit page (GET)")
        fields = form_fields(page.text, "title")
        self.edits += 1
        if self.edits % 2:
            name, change = "title", _toggled_suffix
        else:
            name, change = "description", lambda text: f"Reviderad under belastningstest ({self.edits})."
        data = [(n, change(v) if n == name else v) for n, v in fields]
        with self.client.post(
            url, data=urlencode(data), headers=FORM, name="goal edit (POST)", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"goal edit answered {response.status_code}")


class StartPage(Person):
    @task
    def start_page(self):
        self.client.get("/", name="start page")


class TreePage(Person):
    @task
    def tree_page(self):
        self.client.get("/mal/", name="tree page (all goals)")


class GoalPage(Person):
    @task
    def goal_page(self):
        goals = CONFIG["read_goals"]
        self.visits += 1
        self.client.get(f"/mal/{goals[self.visits % len(goals)]}/", name="goal page")


class StaticTree(Person):
    @task
    def static_file(self):
        self.client.get("/bench-static/tree.html", name="tree page bytes as a static file")


class ValuesPage(Person):
    login = "editor"

    @task
    def values_page(self):
        self.client.get(self.values_url(), name="values page (GET)")


class ValuesSave(Person):
    login = "editor"

    @task
    def values_save(self):
        self.save_values()


class Overview(Person):
    login = "controller"

    @task
    def overview_page(self):
        self.client.get(f"/uppfoljning/perioder/{PERIOD}/oversikt/", name="controller overview")


class DeadlineUser(Person):
    """An editor at the reporting deadline: reads, saves values, now and then edits a goal."""

    login = "editor"
    wait_time = between(
        float(os.environ.get("NORAMAL_BENCH_THINK_MIN", "2")),
        float(os.environ.get("NORAMAL_BENCH_THINK_MAX", "8")),
    )

    @task(15)
    def start_page(self):
        self.client.get("/", name="start page")

    @task(25)
    def tree_page(self):
        self.client.get("/mal/", name="tree page (all goals)")

    @task(20)
    def goal_page(self):
        goals = self.board["goals"]
        self.visits += 1
        self.client.get(f"/mal/{goals[self.visits % len(goals)]}/", name="goal page")

    @task(10)
    def values_page(self):
        self.client.get(self.values_url(), name="values page (GET)")

    @task(25)
    def values_save(self):
        self.save_values()

    @task(5)
    def goal_edit(self):
        self.edit_goal()
