"""Who takes part in a campaign, which targets each unit answers, and who may do what.

Every unit below the plan's owner that takes part registers and reports; the owner wrote
the plan and sees the roll-up. A unit with participating units below it is an *aggregate*
unit: its figures start as the sum of theirs.
"""

from django.http import Http404

from organizations.access import Cap, can, prime_roles, roles_granting, units_held
from organizations.models import Level, Membership, Organization
from targets.models import Target


def participants(campaign):
    return campaign.participants().select_related("kind")


def takes_part(campaign, unit):
    """Whether ``unit`` is below the owner and in the plan's scope. Walking up from the unit
    takes a few rows; listing the owner's subtree took a national plan 0,7 s per call."""
    if unit.pk == campaign.owner_id or not unit.is_active:
        return False
    if campaign.owner_id not in unit.ancestor_ids():
        return False
    return campaign.in_scope(Organization.objects.filter(pk=unit.pk)).exists()


def is_aggregate(campaign, unit):
    """Whether units below ``unit`` take part (its figures are then their sum)."""
    return campaign.participants_below(unit).exists()


def aggregate_ids(campaign, among=None):
    """Ids of the participating units that have participating units directly below; with
    ``among`` (participating units), only those, read from their children alone."""
    if among is not None:
        ids = {unit.pk for unit in among}
        below = campaign.in_scope(Organization.objects.filter(parent__in=ids))
        return set(below.order_by().values_list("parent_id", flat=True).distinct())
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
    if unit is not None:
        # The page then checks rights on the unit, the unit above (review) and the owner (manage):
        # one walk up for the three.
        prime_roles(user, [u for u in (unit, unit.parent, campaign.owner) if u is not None])
    if unit is None or not can(user, Cap.VIEW, unit) or not takes_part(campaign, unit):
        raise Http404
    return unit


def own_units(user, capability):
    """``units_held``, read once per user object (a request): the home page asks for every
    plan, and the same unit objects then remember their ancestors across the plans."""
    cache = user.__dict__.setdefault("_portal_own_units", {})
    if capability not in cache:
        cache[capability] = list(units_held(user, capability).select_related("kind", "parent"))
    return cache[capability]


def entering_units(user, campaign):
    """Participating units where ``user`` enters figures through a role held on the unit itself."""
    return [unit for unit in own_units(user, Cap.ENTER_REPORTS) if takes_part(campaign, unit)]


def reviewing_units(user, campaign):
    """The user's own units (the owner included) with participating units directly below,
    whose submissions the user reviews; boards drill down from there.

    A user holds a handful of roles: each unit is checked on its own (its ancestors, its
    children) rather than against the owner's whole subtree, which a national plan made slow.
    """
    units = [
        unit
        for unit in own_units(user, Cap.REVIEW_REPORTS)
        if (unit.pk == campaign.owner_id or takes_part(campaign, unit))
        and campaign.in_scope(Organization.objects.filter(parent=unit)).exists()
    ]
    return sorted(units, key=lambda unit: (unit.kind.level, unit.name))
