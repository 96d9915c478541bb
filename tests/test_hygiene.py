"""Project hygiene: migrations, translations, production settings, demo data."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"

# The demo data test loads the whole demo into an empty database.
SHARED_TREE = False


def test_no_pending_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_vietnamese_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(CATALOGUE))
    active = [e for e in po if not e.obsolete]
    assert [e.msgid for e in active if not e.translated()] == []
    assert po.fuzzy_entries() == []
    mo = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled = {(e.msgid, e.msgstr) for e in mo if e.msgid and not e.msgid_plural}
    assert {(e.msgid, e.msgstr) for e in active if not e.msgid_plural} <= compiled


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Run makemessages on a copy and compare: a new string without Vietnamese fails."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "tests", "bench"),
    )
    env = {**os.environ, "DJANGO_DEBUG": "1", "PORTAL_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in fresh if not e.obsolete and not e.translated()]
    assert untranslated == [], "Run `make messages` and translate these strings"


def test_both_languages_load(client, personas):
    client.force_login(personas.province_staff)
    assert "Việc cần làm" in client.get(reverse("core:home")).content.decode()
    client.cookies["django_language"] = "en"
    assert "To do" in client.get(reverse("core:home")).content.decode()


def deploy_env(**extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"}
    env.update({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "thidua.example.vn"})
    env.update(extra)
    return env


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_check_deploy_is_clean_with_production_settings():
    key = "k3y-" + "x9Yz" * 16
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=deploy_env(DJANGO_SECRET_KEY=key))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"DJANGO_SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production"},
        {"DJANGO_SECRET_KEY": "short"},
    ],
    ids=["missing", "development-key", "too-short"],
)
def test_production_refuses_to_start_without_a_real_secret_key(extra):
    result = manage("check", env=deploy_env(**extra))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_migrations_can_be_checked_without_production_secrets():
    env = deploy_env()
    env.pop("DJANGO_ALLOWED_HOSTS")
    result = manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_production_refuses_to_start_without_allowed_hosts():
    env = deploy_env(DJANGO_SECRET_KEY="k3y-" + "x9Yz" * 16)
    env.pop("DJANGO_ALLOWED_HOSTS")
    result = manage("check", env=env)
    assert result.returncode != 0 and "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "organizations", "campaigns", "targets", "documents"}
    }


def test_demo_data_is_complete_and_loading_it_twice_changes_nothing(db, settings):
    from campaigns.models import Campaign
    from documents.models import SigningCertificate, TrustAnchor
    from organizations.models import Organization
    from targets.models import Allocation

    settings.DEBUG = True
    call_command("load_demo_data", "--quiet-logins")
    first = _row_counts()
    call_command("load_demo_data", "--quiet-logins")
    assert _row_counts() == first
    # The five seeds and the current plan of Lai Châu, published and split among its districts.
    assert Campaign.objects.filter(year__lt=2026).count() == 5
    current = Campaign.objects.get(owner__code="LDLD-LCH", year=2026)
    assert (current.status, current.number) == ("published", 15)
    assert Allocation.objects.filter(target__campaign=current).exists()
    assert TrustAnchor.objects.count() == 1
    assert set(SigningCertificate.objects.values_list("organization__code", flat=True)) >= {"TLD", "LDLD-LCH"}
    ninh_thuan = Organization.objects.get(code="LDLD-NTH")
    assert (ninh_thuan.is_active, ninh_thuan.successor.code) == (False, "LDLD-KHH")
    assert Organization.objects.get(code="LDLD-LCH").is_active
    assert Organization.objects.filter(kind__level=2, is_active=True, kind__code="ldld_tinh").count() == 34
    assert not Organization.objects.filter(kind__code="ldld_huyen", is_active=True).exists()
    # An enterprise union of a district federation moved under a ward union on 1/7/2025.
    assert Organization.objects.get(code="CDCS-LCH-01").parent.code == "CDP-LCH-TP"
    # A state-funded office union was dissolved.
    assert not Organization.objects.get(code="CDCS-BTN-08").is_active


def test_code_is_lint_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_code_is_formatted():
    command = [sys.executable, "-m", "ruff", "format", "--check", "."]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def _eager_translations(path):
    """Lines where ``_`` is the eager gettext and is called outside any function: such a text is
    translated once, at import, in whatever language was active, and never again."""
    source = path.read_text()
    if "gettext_lazy as _" in source:
        return []
    found = []

    def visit(node, depth):
        for child in ast.iter_child_nodes(node):
            inner = depth + isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            call = isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id == "_"
            if call and depth == 0:
                found.append(f"{path.relative_to(ROOT)}:{child.lineno}")
            visit(child, inner)

    visit(ast.parse(source), 0)
    return found


def test_no_text_is_translated_at_import_time():
    paths = [
        path
        for path in ROOT.glob("*/**/*.py")
        if path.parts[len(ROOT.parts)] not in {".venv", "tests", "bench", "var"} and "migrations" not in path.parts
    ]
    found = [line for path in paths for line in _eager_translations(path)]
    assert found == [], "Use gettext_lazy for texts defined outside functions: " + ", ".join(found)
