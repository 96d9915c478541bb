"""Which unit each audited record belongs to, and which models are deliberately left out.

A path is followed attribute by attribute from the changed record (``campaign.owner_id``
reads the plan, then its owner's id); a user's unit is the first unit they were given a role
in. ``None`` marks catalogue data shared by every unit: only auditors at the top of a tree
and superusers read its history.
"""

import functools

from django.apps import apps

UNIT_PATHS = {
    "accounts.User": lambda user: user.memberships.order_by("pk").values_list("organization_id", flat=True).first(),
    "organizations.OrganizationKind": None,
    "organizations.Organization": "pk",
    "organizations.Membership": "organization_id",
    "organizations.Person": "organization_id",
    "organizations.Cluster": "organizer_id",
    "organizations.ClusterMember": "cluster.organizer_id",
    "documents.DocumentType": None,
    "documents.TrustAnchor": None,
    "documents.Issuer": "organization_id",
    "documents.SigningCertificate": "organization_id",
    "documents.SignedDocument": "certificate.organization_id",
    "campaigns.Campaign": "owner_id",
    "campaigns.LegalBasis": "campaign.owner_id",
    "campaigns.Theme": "campaign.owner_id",
    "campaigns.Section": "campaign.owner_id",
    "campaigns.Clause": "section.campaign.owner_id",
    "campaigns.Round": "campaign.owner_id",
    "campaigns.Commemoration": "round.campaign.owner_id",
    "campaigns.Task": "campaign.owner_id",
    "campaigns.Deadline": "campaign.owner_id",
    "campaigns.Recipient": "campaign.owner_id",
    "targets.TargetGroup": "campaign.owner_id",
    "targets.Target": "campaign.owner_id",
    "targets.AllocationSheet": "organization_id",
    "targets.Allocation": "organization_id",
    "reports.Registration": "organization_id",
    "reports.Pledge": "registration.organization_id",
    "reports.TitleAim": "registration.organization_id",
    "reports.Work": "registration.organization_id",
    "reports.Report": "organization_id",
    "reports.ReportValue": "report.organization_id",
    "reports.Evidence": "value.report.organization_id",
    "initiatives.Initiative": "organization_id",
    "awards.Title": None,
    "awards.AwardForm": None,
    "awards.Criterion": None,
    "awards.BaseSalary": None,
    "awards.Quota": "organization_id",
    "awards.Covenant": "cluster.organizer_id",
    "awards.ScoringItem": "covenant.cluster.organizer_id",
    "awards.Scorecard": "covenant.cluster.organizer_id",
    "awards.Score": "scorecard.covenant.cluster.organizer_id",
    "awards.Acclaim": "covenant.cluster.organizer_id",
    "awards.Rating": "home_unit_id",
    "awards.Discipline": "person.organization_id",
    "awards.Absence": "person.organization_id",
    "awards.Honour": "home_unit_id",
    "awards.Nomination": "nominator_id",
    "awards.NominationEvidence": "nomination.nominator_id",
    "awards.Proposal": "from_unit_id",
    "awards.Council": "organization_id",
    "awards.CouncilMember": "council.organization_id",
    "awards.Meeting": "council.organization_id",
    "awards.AgendaItem": "meeting.council.organization_id",
    "awards.Disclosure": "organization_id",
    "awards.Objection": "disclosure.organization_id",
    "awards.Decision": "organization_id",
    "awards.DecisionEntry": "decision.organization_id",
}

# Models without a change history, and why. A test fails when a model is in neither table.
NOT_AUDITED = {
    "awards.Ballot": "secret ballot: the meeting's tallies are audited, who voted how is not copied anywhere",
    "awards.AcclaimVoter": "secret ballot: records only that a unit voted, kept apart from the tallies",
    "awards.AcclaimTally": "secret ballot: a history row would tie each vote to its voter and time",
    "reports.Event": "itself a log: each submission, approval or return, never edited",
    "organizations.OrganizationEvent": "itself a log of mergers and moves, never edited",
    "awards.NominationEvent": "itself a log of a nomination's steps, never edited",
    "campaigns.CampaignVersion": "itself a log: the whole plan as published, never edited",
    "reports.ReminderLog": "itself a log of reminders sent",
    "dashboards.Progress": "derived totals, rebuilt from the approved reports",
    "dashboards.Export": "a generated file, rebuilt on request",
}


def follow(instance, path):
    """The value at the end of a dotted attribute path, or None where a link is missing."""
    value = instance
    for attribute in path.split("."):
        if value is None:
            return None
        value = getattr(value, attribute)
    return value


def unit_of(instance):
    path = UNIT_PATHS.get(instance._meta.label)
    if callable(path):
        return path(instance)
    return follow(instance, path) if path else None


def stamp_unit(sender, instance, history_instance, **kwargs):
    """Signal receiver: write the record's unit into the history row being created."""
    if hasattr(history_instance, "history_unit"):
        history_instance.history_unit = unit_of(instance)


@functools.cache
def audited_models():
    """Live models with a change history, in a stable order (fixed once the apps are loaded)."""
    return tuple(
        sorted(
            (model for model in apps.get_models() if hasattr(model._meta, "simple_history_manager_attribute")),
            key=lambda model: model._meta.label,
        )
    )


def history_model(model):
    return getattr(model, model._meta.simple_history_manager_attribute).model
