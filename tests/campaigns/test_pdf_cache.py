"""The official PDF is laid out once per version of its text, not once per download."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from campaigns.models import Clause
from documents import rendering
from tests.pdf import pdf_text


@pytest.fixture
def url(client, personas, draft_plan):
    """The draft plan's PDF, for its staff, with nothing laid out yet."""
    caches["documents"].clear()
    client.force_login(personas.province_staff)
    return reverse("campaigns:campaign_pdf", args=[draft_plan.pk])


def test_the_same_text_is_laid_out_once_and_a_change_lays_it_out_again(client, url, draft_plan):
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


def test_a_pdf_laid_out_in_one_process_is_served_to_the_others(client, url):
    """gunicorn runs several worker processes: the cache is on disk, so one layout serves them all."""
    with mock.patch.object(rendering, "pdf_cache_key", wraps=rendering.pdf_cache_key) as key_of:
        pdf = client.get(url).content
    key = rendering.pdf_cache_key(key_of.call_args.args[0])
    other_process = (
        "import django, sys; django.setup(); from django.core.cache import caches; "
        f"found = caches['documents'].get({key!r}); sys.stdout.write(str(len(found or b'')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", other_process],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"},
        cwd=settings.BASE_DIR,
    )
    assert result.stdout == str(len(pdf))
