"""Every form of the portal against hostile input, found by walking the access table.

For each URL of ``tests/test_access.py`` (TABLE and its EXTRA_TABLES) that some persona may
use, the fuzzer signs in as the first such persona, GETs the page and reads every POST form on
it (inputs, selects, textareas, buttons, formset management fields), then POSTs generated
values: NFD Vietnamese, zero-width and right-to-left characters, NUL bytes, formulas,
100 000-character strings, absurd numbers and dates, ids of objects in other subtrees,
missing and repeated fields. A URL the table only POSTs to gets the table's own data keys.

Each answer must not be a 500; an answer that is not a redirect (the form again, with its
errors, or a refusal) must leave every table's row count unchanged.

The suite fuzzes a fixed sample of URLs (SUITE_FORMS); HYPOTHESIS_PROFILE=thorough fuzzes all,
FUZZ_FORM_CASES examples each (default: enough for 1 000 per app).
"""

import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.base import PartialTemplate, Template
from django.test import utils as test_utils
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import test_access as access
from tests.fuzz.checks import post
from tests.fuzz.conftest import PROFILE
from tests.fuzz.strategies import form_value, hostile_text

pytestmark = pytest.mark.django_db

# Who is tried first: the widest reach, so most forms are open to them.
PREFERENCE = [
    "province_staff",
    "district_officer",
    "grassroots_chair",
    "g1_officer",
    "other_grassroots_chair",
    "leader_viewer",
    "anonymous",
]
# Posting there ends the session or only switches the language: nothing to learn, and the
# following examples would all be sent to sign in.
SKIPPED_ACTIONS = {"accounts:logout"}
# Pages that answer with a file (PDF, xlsx): no form on them, and a PDF costs a second.
FILE_PAGE = re.compile(r"(export|_pdf|download|_template|_qr|print)$|^core:health$|signed_document")
# Field names tried on URLs only POSTed to, besides the keys the access table sends.
GENERIC_FIELDS = ["reason", "note", "comment", "item", "version", "next", "value", "passphrase"]


@dataclass
class Target:
    name: str
    kwargs: object
    method: str
    persona: str
    data: object

    @property
    def app(self):
        return self.name.split(":")[0]


def collect_targets():
    targets, seen = [], set()
    get_names = {row[0] for row in access.TABLE if row[2] == "get"}
    for name, kwargs, method, expected, *extra in access.TABLE:
        if name in seen or name in SKIPPED_ACTIONS or FILE_PAGE.search(name):
            continue
        if method == "post" and name in get_names:
            continue  # its page is fuzzed from the GET row, with the fields the page really has
        allowed = (200,) if method == "get" else (200, 302)
        persona = next(
            (p for p in PREFERENCE if expected.get(p) in allowed and not (p == "anonymous" and expected[p] == 302)),
            None,
        )
        if persona is None:
            continue
        seen.add(name)
        targets.append(Target(name, kwargs, method, persona, extra[0] if extra else {}))
    return targets


# Pages that carry no POST form (lists, details, dashboards): skipped when fuzzed, and left out
# of each app's count so its form pages share 1 000 examples. The thorough run fails when a page
# gains or loses a form without this list following.
NO_FORM = {
    "accounts:password_change_done",
    "accounts:password_reset_complete",
    "accounts:password_reset_confirm",
    "accounts:password_reset_done",
    "accounts:two_factor",
    "accounts:user_list",
    "audit:journal",
    "audit:object_journal",
    "audit:user_journal",
    "awards:base_salary_list",
    "awards:catalogue_list",
    "awards:council_list",
    "awards:covenant_list",
    "awards:covenant_ranking",
    "awards:decision_certificates",
    "awards:decision_list",
    "awards:decision_signed",
    "awards:disclosure_detail",
    "awards:disclosure_list",
    "awards:entry_detail",
    "awards:index",
    "awards:meeting_ballots",
    "awards:meeting_detail",
    "awards:meeting_minutes",
    "awards:nomination_list",
    "awards:person_history",
    "awards:person_list",
    "awards:proposal_detail",
    "awards:quota_list",
    "awards:unit_history",
    "campaigns:campaign_detail",
    "campaigns:campaign_list",
    "campaigns:campaign_version",
    "core:home",
    "dashboards:campaign",
    "dashboards:export_status",
    "dashboards:index",
    "documents:issuer_list",
    "initiatives:initiative_list",
    "organizations:cluster_list",
    "organizations:organization_detail",
    "organizations:organization_history",
    "organizations:organization_list",
    "organizations:organization_lookup",
}
TARGETS = collect_targets()
PER_APP = Counter(t.app for t in TARGETS if t.name not in NO_FORM)
# A sample of forms of every kind for the suite: plain model forms, formsets, uploads, state changes.
SUITE_FORMS = {
    "organizations:organization_create",
    "organizations:cluster_update",
    "campaigns:campaign_update",
    "reports:report_detail",
    "accounts:user_create",
    "awards:nomination_create",
}


def cases_for(target):
    if PROFILE != "thorough":
        return None  # the profile's count
    if os.environ.get("FUZZ_FORM_CASES"):
        return int(os.environ["FUZZ_FORM_CASES"])
    return max(50, math.ceil(1000 / PER_APP[target.app]))


@dataclass
class Field:
    name: str
    kind: str
    values: list = field(default_factory=list)


@dataclass
class Form:
    action: str
    fields: dict


def parse_forms(content, page_url):
    """Every POST form of a page: its action and its fields with the values the page offers."""
    document = lxml.html.fromstring(content)
    forms = []
    for element in document.forms:
        if (element.get("method") or "get").lower() != "post":
            continue
        action = urljoin("http://testserver" + page_url, element.get("action") or page_url)
        parts = urlsplit(action)
        if parts.netloc != "testserver":
            continue
        fields = {}
        controls = list(element.inputs)
        if element.get("id"):
            controls += document.xpath(f'//*[@form="{element.get("id")}"]')
        controls += element.xpath(".//button[@name]")
        for control in controls:
            name = control.get("name")
            if not name:
                continue
            tag = control.tag
            kind = control.get("type", "text").lower() if tag == "input" else tag
            if kind in ("submit", "image", "reset") and tag == "input":
                kind = "button"
            entry = fields.setdefault(name, Field(name, kind))
            if tag == "select":
                entry.values += [o.get("value", o.text_content()) for o in control.iter("option")]
            elif tag == "textarea":
                entry.values.append(control.text_content())
            else:
                entry.values.append(control.get("value", "on" if kind in ("checkbox", "radio") else ""))
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        forms.append(Form(path, fields))
    return forms


def foreign_ids(tree, personas):
    """Ids that exist but belong elsewhere, and ids that cannot exist."""
    return [
        str(tree.foreign_grassroots.pk),
        str(tree.other_province.pk),
        str(tree.far_grassroots.pk),
        str(tree.tld.pk),
        str(personas.other_grassroots_chair.pk),
        "0",
        "-1",
        "99999999999999999999",
        "1 OR 1=1",
    ]


HOSTILE_FILES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"", b"%PDF-1.7\n%%EOF", b"PK\x03\x04" + bytes(100), b"<svg onload=alert(1)>", b"\x00" * 1000]),
)
FILE_NAMES = st.sampled_from(
    ["a.pdf", "../../x.pdf", "\u202egpj.exe", "tệp đính kèm.xlsx", "", "x" * 300 + ".pdf", "a\x00.pdf"]
)


@st.composite
def payloads(draw, form, ids):
    data = {}
    for entry in form.fields.values():
        if entry.kind == "file":
            if draw(st.booleans()):
                data[entry.name] = SimpleUploadedFile(draw(FILE_NAMES) or "x", draw(HOSTILE_FILES))
            continue
        mode = draw(st.sampled_from(["valid", "valid", "hostile", "hostile", "missing", "repeat", "foreign"]))
        if mode == "missing":
            continue
        if mode == "valid":
            value = draw(form_value([v for v in entry.values if v is not None]) if entry.values else hostile_text)
            data[entry.name] = draw(st.sampled_from(entry.values)) if entry.values and draw(st.booleans()) else value
        elif mode == "foreign":
            data[entry.name] = draw(st.sampled_from(ids))
        elif mode == "repeat":
            data[entry.name] = draw(st.lists(form_value(entry.values), min_size=2, max_size=3))
        else:
            data[entry.name] = draw(hostile_text)
    for _ in range(draw(st.integers(0, 2))):
        data[draw(st.sampled_from(["id", "pk", "organization", "owner", "status", "form-TOTAL_FORMS", "x"]))] = draw(
            st.one_of(hostile_text, st.sampled_from(ids))
        )
    return data


def build_forms(client, target, tree, personas):
    world = access.World(tree, personas)
    url = reverse(target.name, kwargs=target.kwargs(tree, personas, world))
    data = target.data(tree, personas, world) if callable(target.data) else target.data
    if target.method == "post":
        fields = {k: Field(k, "text", [str(v)]) for k, v in data.items()}
        fields.update({k: Field(k, "text") for k in GENERIC_FIELDS if k not in fields})
        return url, [Form(url, fields)]
    response = client.get(url, data)
    assert response.status_code == 200, f"{target.persona} GET {url}: {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return url, []
    query = f"?{response.request['QUERY_STRING']}" if response.request.get("QUERY_STRING") else ""
    forms = parse_forms(response.content, url + query)
    skipped = {reverse(name) for name in SKIPPED_ACTIONS} | {reverse("set_language")}
    return url, [f for f in forms if f.action.split("?")[0] not in skipped]


SELECTED = [t for t in TARGETS if PROFILE == "thorough" or t.name in SUITE_FORMS]
if os.environ.get("FUZZ_FORM_SHARD"):
    # A slice of the URLs, for campaigns of 1 000 examples per URL run over several sittings.
    _shard, _shards = (int(n) for n in os.environ["FUZZ_FORM_SHARD"].split("/"))
    SELECTED = SELECTED[_shard - 1 :: _shards]


@pytest.fixture
def plain_rendering():
    """Templates render without the test client's recording of each one and a copy of its context.

    A form page renders a hundred field templates, and the recording was a good part of an
    example's cost; these tests read the status and the row counts, never ``response.context``.
    """
    saved = test_utils._TestState.saved_data
    instrumented = Template._render, PartialTemplate._render
    Template._render, PartialTemplate._render = saved.template_render, saved.partial_template_render
    yield
    Template._render, PartialTemplate._render = instrumented


@pytest.mark.parametrize("target", SELECTED, ids=[f"{t.name}-{t.persona}" for t in SELECTED])
def test_form_survives_hostile_posts(client, tree, personas, counts, fuzz_stats, plain_rendering, target):
    user = getattr(personas, target.persona)
    if user is not None:
        client.force_login(user)
    url, forms = build_forms(client, target, tree, personas)
    fuzz_stats["forms"] = len(forms)
    fuzz_stats["app"] = target.app
    assert bool(forms) != (target.name in NO_FORM), f"{target.name}: update NO_FORM ({len(forms)} POST forms)"
    if not forms:
        pytest.skip(f"{url}: no POST form")
    ids = foreign_ids(tree, personas)
    statuses = Counter()

    @settings(max_examples=cases_for(target)) if cases_for(target) else (lambda f: f)
    @given(st.data())
    def run(data):
        form = data.draw(st.sampled_from(forms), label="form")
        payload = data.draw(payloads(form, ids), label="payload")
        before = counts()
        response = post(client, form.action, payload)
        fuzz_stats["cases"] += 1
        statuses[response.status_code] += 1
        if response.status_code in (301, 302, 303):
            fuzz_stats["accepted"] += 1
            return
        fuzz_stats["rejected"] += 1
        written = counts.diff(before)
        assert written == {}, f"{response.status_code} from {form.action} but rows were written: {written}"

    run()
    fuzz_stats["statuses"] = dict(statuses)


def test_pages_without_a_form_are_pages_of_the_access_table():
    assert not NO_FORM - {t.name for t in TARGETS}
