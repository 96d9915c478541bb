"""Mixed journeys of the portal's users for locust; bench/run_load.py starts it against gunicorn.

Accounts and the ids they work on come from the JSON file that bench/load_users.py writes (LOAD_USERS_FILE).
Each simulated user signs in once with its own account (real CSRF tokens, session cookie) and then loops
through its journey with a think time of LOAD_WAIT_MIN…LOAD_WAIT_MAX seconds between pages (default 1…4):

- grassroots officers (many): home, plan list and plan, the unit's registration and reports, saving
  figures of the round-2 report now and then, the plan's dashboard, rarely the official PDF;
- district approvers (fewer): home, the plan, registration and report boards of their ward, a unit's report,
  the dashboard filtered on their ward and a round, approving a submitted report now and then;
- leaders (few): dashboards with unit/round filters, the Excel of a dashboard, the plan, rarely its PDF.

Requests are named by route ("/campaigns/[id]/dashboard/?unit&round"), so the statistics are per endpoint.
"""

import itertools
import json
import os
import random
from html.parser import HTMLParser

from locust import HttpUser, between, task

with open(os.environ.get("LOAD_USERS_FILE", "var/load/users.json"), encoding="utf-8") as users_file:
    USERS = json.load(users_file)
WAIT = between(float(os.environ.get("LOAD_WAIT_MIN", 1)), float(os.environ.get("LOAD_WAIT_MAX", 4)))
POOLS = {kind: itertools.cycle(USERS[kind]) for kind in ("officers", "approvers", "leaders")}


class FormFields(HTMLParser):
    """The fields of the page's report form (the one with a request_key), as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.textarea, self.select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("file", "submit", "checkbox"):
            self.current[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.current[attrs["name"]] = attrs.get("value", "on")
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.current[self.textarea] = ""
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and ("selected" in attrs or self.select not in self.current):
            self.current[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current[self.textarea] += data

    @classmethod
    def report_form(cls, html):
        parser = cls()
        parser.feed(html)
        return next((form for form in parser.forms if "request_key" in form), None)


def outcome(response):
    """What went wrong: the status, or, when no answer came (status 0), the connection error."""
    if response.status_code:
        return f"HTTP {response.status_code}"
    return f"no answer: {type(response.error).__name__}: {response.error}"[:200]


class PortalUser(HttpUser):
    abstract = True
    wait_time = WAIT
    pool = ""

    def on_start(self):
        self.account = next(POOLS[self.pool])
        self.client.get("/account/login/", name="/account/login/ (page)")
        token = self.client.cookies.get("csrftoken")
        with self.client.post(
            "/account/login/",
            {"username": self.account["username"], "password": USERS["password"], "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="/account/login/ (sign in)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in of {self.account['username']} answered {response.status_code}")

    def page(self, path, name, **kwargs):
        with self.client.get(path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(outcome(response))
            return response

    def post_form(self, path, data, name):
        """A form post as the browser sends it: 302 back to a page is success."""
        data = {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken")}
        with self.client.post(path, data, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(outcome(response))
            return response


class GrassrootsOfficer(PortalUser):
    weight = 15
    pool = "officers"

    @property
    def base(self):
        return f"/campaigns/{self.account['plan']}/units/{self.account['unit']}/"

    @task(3)
    def home(self):
        self.page("/", "/")

    @task(2)
    def plans(self):
        self.page("/campaigns/", "/campaigns/")
        self.page(f"/campaigns/{self.account['plan']}/", "/campaigns/[id]/")

    @task(2)
    def registration(self):
        self.page(self.base + "registration/", "/campaigns/[id]/units/[id]/registration/")

    @task(4)
    def report(self):
        self.page(self.base + "reports/", "/campaigns/[id]/units/[id]/reports/")
        self.page(self.base + "reports/1/", "/campaigns/[id]/units/[id]/reports/[n]/")

    @task(3)
    def save_report(self):
        """Open the round-2 report, change a figure or two and save the draft."""
        path = self.base + "reports/2/"
        response = self.page(path, "/campaigns/[id]/units/[id]/reports/[n]/")
        form = FormFields.report_form(response.text or "")
        if form is None:
            return  # not editable any more (sent or approved): the officer only reads it
        # A numerator needs its denominator: in a report not started yet only plain values are typed in.
        numbers = [n for n in form if n.startswith("v_") or (n.startswith("n_") and form.get("d_" + n[2:]))]
        for name in random.sample(numbers, min(2, len(numbers))):
            top = int(float(form["d_" + name[2:]])) if name.startswith("n_") else 500
            form[name] = str(random.randint(0, top))
        form["action"] = "save"
        self.post_form(path, form, "/campaigns/[id]/units/[id]/reports/[n]/ (save)")

    @task(1)
    def dashboard(self):
        self.page(f"/campaigns/{self.account['plan']}/dashboard/", "/campaigns/[id]/dashboard/")

    @task(1)
    def official_pdf(self):
        if random.random() < 0.2:
            self.page(f"/campaigns/{self.account['plan']}/document.pdf", "/campaigns/[id]/document.pdf")


class DistrictApprover(PortalUser):
    weight = 4
    pool = "approvers"

    @property
    def base(self):
        return f"/campaigns/{self.account['plan']}/units/{self.account['ward']}/"

    @task(2)
    def home(self):
        self.page("/", "/")

    @task(1)
    def plan(self):
        self.page(f"/campaigns/{self.account['plan']}/", "/campaigns/[id]/")

    @task(3)
    def boards(self):
        self.page(self.base + "registrations/", "/campaigns/[id]/units/[id]/registrations/")
        self.page(self.base + "reports/", "/campaigns/[id]/units/[id]/reports/")
        self.page(self.base + "reports/2/board/", "/campaigns/[id]/units/[id]/reports/[n]/board/")

    @task(3)
    def unit_report(self):
        unit = random.choice(self.account["units"])
        self.page(
            f"/campaigns/{self.account['plan']}/units/{unit}/reports/2/", "/campaigns/[id]/units/[id]/reports/[n]/"
        )

    @task(3)
    def dashboard(self):
        self.page(
            f"/campaigns/{self.account['plan']}/dashboard/",
            "/campaigns/[id]/dashboard/?unit&round",
            params={"unit": self.account["ward"], "round": random.choice([1, 2])},
        )

    @task(1)
    def approve(self):
        """Approve one of the ward's submitted reports (once approved, later tries are told so and redirected)."""
        if not self.account["submitted"]:
            return
        unit = self.account["submitted"].pop()
        path = f"/campaigns/{self.account['plan']}/units/{unit}/reports/2/"
        self.page(path, "/campaigns/[id]/units/[id]/reports/[n]/")
        self.post_form(path + "approve/", {"comment": ""}, "/campaigns/[id]/units/[id]/reports/[n]/approve/")


class Leader(PortalUser):
    weight = 1
    pool = "leaders"

    @property
    def plan(self):
        return self.account["plan"]

    @task(2)
    def home(self):
        self.page("/", "/")
        self.page("/dashboards/", "/dashboards/")

    @task(4)
    def dashboard(self):
        params = {"round": random.choice([1, 2])}
        if random.random() < 0.5:
            params["unit"] = random.choice(self.account["wards"])
        name = "/campaigns/[id]/dashboard/?unit&round" if "unit" in params else "/campaigns/[id]/dashboard/?round"
        self.page(f"/campaigns/{self.plan}/dashboard/", name, params=params)

    @task(1)
    def dashboard_excel(self):
        self.page(
            f"/campaigns/{self.plan}/dashboard/export.xlsx",
            "/campaigns/[id]/dashboard/export.xlsx",
            params={"scope": "view"},
        )

    @task(1)
    def plan_page(self):
        self.page(f"/campaigns/{self.plan}/", "/campaigns/[id]/")

    @task(1)
    def official_pdf(self):
        if random.random() < 0.3:
            self.page(f"/campaigns/{self.plan}/document.pdf", "/campaigns/[id]/document.pdf")
