"""axe-core on every kind of page: no WCAG 2 A/AA violations, in both layouts."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import make_cluster

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def violations(page):
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {v['help']} → {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.fixture
def axe_page(browser, live_server):
    # axe is injected as an inline script, which the portal's CSP rightly forbids.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    yield context.new_page()
    context.close()


def sign_in(page, username):
    page.goto(reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-12345")
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_signed_out_pages(axe_page, tree):
    for url in [reverse("accounts:login"), reverse("accounts:password_reset")]:
        axe_page.goto(url)
        assert violations(axe_page) == [], url


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_signed_in_pages(axe_page, tree, personas, width):
    cluster = make_cluster(tree.province, members=[tree.district, tree.other_district])
    axe_page.set_viewport_size({"width": width, "height": 900})
    sign_in(axe_page, "tinh.quantri")
    urls = [
        reverse("core:home"),
        reverse("organizations:organization_list"),
        reverse("organizations:organization_list") + "?q=xuan",
        reverse("organizations:organization_detail", args=[tree.district.pk]),
        reverse("organizations:organization_create", args=[tree.district.pk]),
        reverse("organizations:organization_merge", args=[tree.grassroots.pk]),
        reverse("organizations:organization_import", args=[tree.district.pk]),
        reverse("organizations:organization_history", args=[tree.district.pk]),
        reverse("organizations:cluster_list"),
        reverse("organizations:cluster_detail", args=[cluster.pk]),
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_detail", args=[personas.g1_officer.pk]),
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
    ]
    found = {}
    for url in urls:
        axe_page.goto(url)
        problems = violations(axe_page)
        if problems:
            found[url] = problems
    assert found == {}
