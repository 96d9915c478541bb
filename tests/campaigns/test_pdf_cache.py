"""The official PDF is laid out once per version of its text, not once per download."""

from unittest import mock

from django.core.cache import caches
from django.urls import reverse

from campaigns.models import Clause
from documents import rendering
from tests.pdf import pdf_text


def test_the_same_text_is_laid_out_once_and_a_change_lays_it_out_again(client, personas, draft_plan):
    caches["documents"].clear()
    client.force_login(personas.province_staff)
    url = reverse("campaigns:campaign_pdf", args=[draft_plan.pk])
    with mock.patch.object(rendering, "engine", wraps=rendering.engine) as engine:
        first = client.get(url).content
        second = client.get(url).content
        assert engine.call_count == 1 and first == second
        clause = Clause.objects.filter(section__campaign=draft_plan).first()
        clause.body = "Nội dung mới của điều khoản"
        clause.save()
        third = client.get(url).content
        assert engine.call_count == 2
    assert "Nội dung mới của điều khoản" in pdf_text(third)
    assert "Nội dung mới của điều khoản" not in pdf_text(first)
