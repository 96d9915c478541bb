"""Small builders for test data; they write rows directly, bypassing services."""

import datetime
import itertools

from accounts.models import User
from organizations.models import Cluster, ClusterMember, Membership, Organization, OrganizationKind

_counter = itertools.count(1)


def kind(code):
    return OrganizationKind.objects.get(code=code)


def make_organization(name=None, *, kind_code="cdcs", parent=None, code=None, **fields):
    number = next(_counter)
    fields.setdefault("founded_on", datetime.date(2010, 1, 1))
    return Organization.objects.create(
        name=name or f"Đơn vị {number}",
        code=code or f"TEST-{number:05d}",
        kind=kind(kind_code),
        parent=parent,
        **fields,
    )


def make_user(username=None, *, password="pass-12345", **fields):
    username = username or f"user{next(_counter)}"
    fields.setdefault("full_name", username.replace(".", " ").title())
    fields.setdefault("email", f"{username}@example.com")
    user = User(username=username, **fields)
    user.set_password(password)
    user.save()
    return user


def make_membership(user, organization, role="officer", **fields):
    return Membership.objects.create(user=user, organization=organization, role=role, **fields)


def make_cluster(organizer, *, name=None, kind="cum", level=3, members=(), year=2026):
    cluster = Cluster.objects.create(
        organizer=organizer, name=name or f"Cụm thi đua {next(_counter)}", kind=kind, level=level
    )
    for index, org in enumerate(members):
        ClusterMember.objects.create(
            cluster=cluster, organization=org, year=year, role="leader" if index == 0 else "member"
        )
    return cluster
