"""Demo campaigns: the five seed plans as issued, and a 2026 plan of Lai Châu (cloned
from its 2023 one) published and allocated to its ward and commune unions."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from campaigns import interchange, services
from campaigns.models import Campaign
from core.audit import save_as
from organizations.models import Organization
from targets.models import Allocation, AllocationSheet

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
CURRENT_YEAR_PLAN = {
    "owner": "LDLD-LCH",
    "year": 2026,
    "number": 15,
    "issued_on": datetime.date(2026, 1, 20),
}


def seed_documents():
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SEED_DIR.glob("*.json"))]


def _exists(data):
    document = data["document"]
    return Campaign.objects.filter(
        owner__code=data["owner"], year=document["year"], subject=document["subject"]
    ).exists()


@transaction.atomic
def load_seed_campaigns(actor):
    for data in seed_documents():
        if not _exists(data):
            interchange.import_campaign(data, actor=actor)


@transaction.atomic
def load_current_plan(actor):
    """A live plan for the demo journeys: published, numbered, allocated to the wards."""
    spec = CURRENT_YEAR_PLAN
    if Campaign.objects.filter(owner__code=spec["owner"], year=spec["year"]).exists():
        return
    source = Campaign.objects.get(owner__code=spec["owner"], year=2023)
    data = services.cloned_document(interchange.export_campaign(source), year=spec["year"])
    data["document"].update(number=spec["number"], issued_on=spec["issued_on"].isoformat())
    data["deadlines"].append(
        {
            "kind": "registration",
            "description": "Đăng ký giao ước thi đua năm 2026 gửi về LĐLĐ tỉnh",
            "due_date": "2026-03-15",
            "round": 1,
        }
    )
    campaign = interchange.import_campaign(data, actor=actor)
    _allocate(campaign, actor)
    services.publish_campaign(campaign, actor=actor)


def _allocate(campaign, actor):
    """Split the count targets among the province's active direct subunits, by members."""
    units = list(Organization.objects.filter(parent=campaign.owner, is_active=True).order_by("code"))
    # Shares follow the union members of each subunit's subtree.
    weights = {u.pk: max(Organization.objects.totals_below(u)["members"] or u.members_count, 1) for u in units}
    total = sum(weights.values())
    for target in campaign.targets.filter(kind="count", plan_value__isnull=False):
        remaining = int(target.plan_value)
        for index, unit in enumerate(units):
            share = remaining if index == len(units) - 1 else int(target.plan_value * weights[unit.pk] / total)
            remaining -= share
            save_as(
                Allocation(
                    target=target,
                    organization=unit,
                    allocated_by=campaign.owner,
                    value=Decimal(share),
                ),
                actor,
            )
    AllocationSheet.objects.create(campaign=campaign, organization=campaign.owner, version=1, updated_by=actor)
