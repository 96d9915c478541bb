"""Who takes part in a campaign, which targets each unit answers, and who may do what.

Every unit below the plan's owner that takes part registers and reports; the owner wrote
the plan and sees the roll-up. A unit with participating units below it is an *aggregate*
unit: its figures start as the sum of theirs.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from organizations.access import Cap, can, roles_granting
from organizations.models import Level, Membership, Organization
from targets.models import Target


def participants(campaign):
    return campaign.participants().select_related("kind")


def takes_part(campaign, unit):
    return unit.pk != campaign.owner_id and campaign.participants().filter(pk=unit.pk).exists()


def is_aggregate(campaign, unit):
    """Whether units below ``unit`` take part (its figures are then their sum)."""
    return campaign.participants().filter(parent=unit).exists()


def aggregate_ids(campaign):
    """Ids of the participating units that have participating units directly below."""
    return set(
        campaign.participants().filter(children__in=campaign.participants()).values_list("pk", flat=True).distinct()
    )


def campaign_targets(campaign):
    return list(
        Target.objects.filter(campaign=campaign)
        .select_related("group")
        .prefetch_related("unit_kinds")
        .order_by("group__position", "position", "pk")
    )


def targets_for(campaign, unit, *, aggregate=None, targets=None):
    """The targets ``unit`` answers: all of them above grassroots level or when units below
    take part, else those whose unit kinds and sectors include it."""
    targets = campaign_targets(campaign) if targets is None else targets
    if aggregate is None:
        aggregate = is_aggregate(campaign, unit)
    if aggregate or unit.kind.level < Level.GRASSROOTS:
        return list(targets)
    return [t for t in targets if t.applies_to(unit)]


def can_enter(user, unit):
    return can(user, Cap.ENTER_REPORTS, unit)


def can_review(user, unit):
    """Review belongs to the unit above: a role on the unit itself does not reach its parent."""
    return unit.parent_id is not None and can(user, Cap.REVIEW_REPORTS, unit.parent)


def is_on_behalf(user, unit):
    """True when the user's right to enter comes from a unit above, not from ``unit`` itself."""
    return not Membership.objects.filter(
        user=user, organization=unit, role__in=roles_granting(Cap.ENTER_REPORTS)
    ).exists()


def own_entry_unit_ids(user):
    """Units where ``user`` holds a role that enters figures directly (not from above)."""
    return set(
        Membership.objects.filter(user=user, role__in=roles_granting(Cap.ENTER_REPORTS)).values_list(
            "organization_id", flat=True
        )
    )


def unit_in_campaign(campaign, user, unit_pk):
    """The participating unit, when the user may see it; 404 otherwise (siblings included)."""
    unit = Organization.objects.select_related("kind", "parent").filter(pk=unit_pk).first()
    if unit is None or not can(user, Cap.VIEW, unit) or not takes_part(campaign, unit):
        raise Http404
    return unit


def entering_units(user, campaign):
    """Participating units where ``user`` enters figures through a role held on the unit itself."""
    own = Organization.objects.filter(memberships__user=user, memberships__role__in=roles_granting(Cap.ENTER_REPORTS))
    return list(campaign.participants().filter(pk__in=own.values("pk")).select_related("kind", "parent"))


def reviewing_units(user, campaign):
    """The user's own units (the owner included) with participating units directly below,
    whose submissions the user reviews; boards drill down from there."""
    mine = Organization.objects.filter(memberships__user=user, memberships__role__in=roles_granting(Cap.REVIEW_REPORTS))
    participating = campaign.participants()
    units = (
        Organization.objects.filter(pk__in=mine.values("pk"))
        .filter(Q(pk=campaign.owner_id) | Q(pk__in=participating.values("pk")))
        # EXISTS, not a join on children + DISTINCT: PostgreSQL planned that join over a national subtree in 14 s.
        .filter(Exists(participating.filter(parent=OuterRef("pk"))))
    )
    return list(units.select_related("kind").order_by("kind__level", "name"))
