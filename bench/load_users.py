"""Sign-in accounts for the load test in a national-scale database (dashboards/scale.py has units but no users).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_scale .venv/bin/python bench/load_users.py \
        [--out var/load/users.json] [--officers 80] [--approvers 24] [--leaders 8]

Creates, once (running it again changes nothing), users named ``load.*`` with one password and one membership
each, and nothing else:

- grassroots officers (role officer) of grassroots unions whose round-2 report can still be edited (draft or
  not started), so their journeys can save figures;
- district approvers (role approver) of ward/commune unions;
- leaders (role approver) of provincial federations and sector unions, and one of the Tổng Liên đoàn.

Units are taken from several federations, large and small, in a fixed order. The JSON file written lists each
account with the ids its journeys need (plan, unit, ward, units below) for bench/locustfile.py.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "LoadTest@2026"
PREFIX = "load."


def setup_django():
    from serving import BENCH_SECRET

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", BENCH_SECRET)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost")
    import django

    django.setup()


def federations():
    """Provincial federations and sector unions of the scale data, largest first, then a few small ones."""
    from django.db.models import Count

    from dashboards.scale import PREFIX as SCALE_PREFIX
    from organizations.models import Organization

    feds = list(
        Organization.objects.filter(code__startswith=f"{SCALE_PREFIX}-", parent__code="TLD")
        .annotate(wards=Count("children"))
        .order_by("-wards", "code")
    )
    if not feds:
        raise SystemExit("No scale data here (units SC-…): run bench/bench_dashboard.py --generate first.")
    # Big ones weigh most in real traffic; mixing in small ones keeps small subtrees measured too.
    return feds[:6] + feds[-2:]


def plan_of(fed):
    from campaigns.models import Campaign

    return Campaign.objects.filter(owner=fed, status="published").order_by("-year", "pk").first()


def editable_units(campaign, ward, count):
    """Grassroots unions below ``ward`` whose round-2 report is a draft or not started."""
    from reports.models import Report

    below = ward.children.filter(kind__code="cdcs").order_by("pk").values_list("pk", flat=True)
    locked = set(
        Report.objects.filter(campaign=campaign, round__number=2, organization__in=below)
        .exclude(status__in=["draft", "returned"])
        .values_list("organization_id", flat=True)
    )
    return [pk for pk in below if pk not in locked][:count]


def submitted_units(campaign, ward, count):
    from reports.models import Report

    return list(
        Report.objects.filter(campaign=campaign, round__number=2, organization__parent=ward, status="submitted")
        .order_by("organization_id")
        .values_list("organization_id", flat=True)[:count]
    )


def ensure(username, full_name, unit, role, position, password_hash):
    from accounts.models import User
    from organizations.models import Membership

    user, _created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "email": f"{username}@example.invalid"}
    )
    if not user.password or not user.password.startswith(password_hash.split("$", 1)[0] + "$"):
        # One hash for every account: hashing 100 passwords would only slow the set-up down.
        # A hash made with an older default hasher is replaced, so sign-ins cost what they do in production.
        User.objects.filter(pk=user.pk).update(password=password_hash)
    Membership.objects.get_or_create(user=user, organization=unit, defaults={"role": role, "position": position})
    return user


def build(officers, approvers, leaders):
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from organizations.models import Organization, Role

    password_hash = make_password(PASSWORD)
    feds = federations()
    plans = {fed.pk: plan_of(fed) for fed in feds}
    national = plan_of(Organization.objects.get(code="TLD"))
    wards_of = {fed.pk: list(fed.children.exclude(kind__code="cdcs").order_by("pk")[:12]) for fed in feds}
    out = {"password": PASSWORD, "national_plan": national.pk if national else None, "officers": [], "approvers": []}
    out["leaders"] = []
    with transaction.atomic():
        n = 0
        while len(out["officers"]) < officers and n < officers * 20:
            fed = feds[n % len(feds)]
            ward = wards_of[fed.pk][(n // len(feds)) % len(wards_of[fed.pk])]
            units = editable_units(plans[fed.pk], ward, 1 + n // (len(feds) * len(wards_of[fed.pk])))
            n += 1
            if not units:
                continue
            unit = Organization.objects.get(pk=units[-1])
            name = f"{PREFIX}cs{len(out['officers']) + 1:03d}"
            ensure(name, f"Cán bộ cơ sở {name}", unit, Role.OFFICER, "Chuyên viên", password_hash)
            out["officers"].append({"username": name, "plan": plans[fed.pk].pk, "unit": unit.pk, "ward": ward.pk})
        for n in range(approvers):
            fed = feds[n % len(feds)]
            ward = wards_of[fed.pk][(n // len(feds)) % len(wards_of[fed.pk])]
            name = f"{PREFIX}px{n + 1:03d}"
            ensure(name, f"Lãnh đạo phường {name}", ward, Role.APPROVER, "Phó Chủ tịch", password_hash)
            below = list(ward.children.order_by("pk").values_list("pk", flat=True)[:20])
            out["approvers"].append(
                {
                    "username": name,
                    "plan": plans[fed.pk].pk,
                    "ward": ward.pk,
                    "units": below,
                    "submitted": submitted_units(plans[fed.pk], ward, 10),
                }
            )
        for n in range(leaders):
            # The last leader is the Tổng Liên đoàn's, watching the national plan.
            top = n == leaders - 1
            fed = Organization.objects.get(code="TLD") if top else feds[n % len(feds)]
            name = f"{PREFIX}ld{n + 1:03d}"
            ensure(name, f"Lãnh đạo {name}", fed, Role.APPROVER, "Phó Chủ tịch", password_hash)
            plan = national if top else plans[fed.pk]
            children = feds if top else wards_of[fed.pk]
            out["leaders"].append(
                {"username": name, "plan": plan.pk, "unit": fed.pk, "wards": [c.pk for c in children[:8]]}
            )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "load" / "users.json"))
    parser.add_argument("--officers", type=int, default=80)
    parser.add_argument("--approvers", type=int, default=24)
    parser.add_argument("--leaders", type=int, default=8)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    setup_django()
    data = build(args.officers, args.approvers, args.leaders)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1))
    print(
        f"{len(data['officers'])} officers, {len(data['approvers'])} approvers, {len(data['leaders'])} leaders "
        f"(password {PASSWORD}) → {out}"
    )


if __name__ == "__main__":
    main()
