"""A whole campaign as one JSON document (format ``thidua.campaign/1``).

The same document is the export, the import, the stored text of every published
version, and what the PDF is rendered from. Its schema is ``campaigns/schema.json``,
explained in ``docs/campaign-json.md``.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    Campaign,
    CampaignVersion,
    Clause,
    Commemoration,
    Deadline,
    LegalBasis,
    Recipient,
    Round,
    Section,
    Status,
    Task,
    Theme,
)
from campaigns.rules import check_campaign_rules
from campaigns.signals import plan_published
from core.audit import record_bulk, save_as
from documents.models import DocumentType, Issuer
from organizations.models import Organization, OrganizationKind
from targets.models import INITIATIVES_NEED_COUNT, Allocation, Target, TargetGroup

FORMAT = "thidua.campaign/1"
SCHEMA = json.loads((Path(__file__).with_name("schema.json")).read_text())


class ImportErrors(Exception):
    """Every problem found in a campaign document; nothing was written."""

    def __init__(self, messages):
        super().__init__("\n".join(messages))
        self.messages = messages


# Export ----------------------------------------------------------------------


def _date(value):
    return value.isoformat() if value else None


def _number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def export_campaign(campaign, *, allocations=True):
    """The campaign as a ``thidua.campaign/1`` document (a dict ready for json.dumps).

    ``allocations=False`` leaves every target's shares out: the printed text does not show them, and a national
    plan has hundreds of thousands.
    """
    issuer = campaign.issuer
    data = {
        "format": FORMAT,
        "owner": campaign.owner.code,
        "issuer": {
            "organization": issuer.organization.code if issuer.organization else None,
            "style": issuer.style,
            "parent_name": issuer.parent_name,
            "name": issuer.name,
            "abbreviation": issuer.abbreviation,
            "place": issuer.place,
        },
        "parent": _parent_reference(campaign.parent),
        "document": {
            "type": campaign.doc_type.abbreviation,
            "heading": campaign.type_heading,
            "number": campaign.number,
            "symbol": campaign.symbol,
            "place": campaign.place,
            "issued_on": _date(campaign.issued_on),
            "subject": campaign.subject,
            "year": campaign.year,
            "kind": campaign.kind,
            "allow_outside_year": campaign.allow_outside_year,
            "status": campaign.status,
        },
        "scope": {
            "unit_kinds": sorted(k.code for k in campaign.scope_kinds.all()),
            "sectors": list(campaign.scope_sectors),
        },
        "themes": [{"kind": t.kind, "text": t.text} for t in campaign.themes.all()],
        "legal_bases": [b.text for b in campaign.legal_bases.all()],
        "sections": [_export_section(s) for s in campaign.sections.prefetch_related("clauses")],
        "rounds": [_export_round(r) for r in campaign.rounds.prefetch_related("commemorations")],
        "target_groups": _export_targets(campaign, allocations=allocations),
        "tasks": [_export_task(t) for t in campaign.tasks.all()],
        "deadlines": [
            {
                "kind": d.kind,
                "description": d.description,
                "due_date": _date(d.due_date),
                "round": d.round.number if d.round else None,
            }
            for d in campaign.deadlines.select_related("round").order_by("position", "pk")
        ],
        "recipients": [{"text": r.text, "group": r.group_note} for r in campaign.recipients.all()],
        "signer": {
            "collective_authority": campaign.signer_collective_authority,
            "collective": campaign.signer_collective,
            "authority": campaign.signer_authority,
            "head_title": campaign.signer_head_title,
            "title": campaign.signer_title,
            "name": campaign.signer_name,
        },
    }
    return data


def _parent_reference(parent):
    if parent is None:
        return None
    return {
        "owner": parent.owner.code,
        "year": parent.year,
        "number": parent.number,
        "symbol": parent.symbol,
    }


def _export_section(section):
    return {
        "kind": section.kind,
        "label": section.label,
        "title": section.title,
        "intro": section.intro,
        "closing": section.closing,
        "clauses": [
            {
                "depth": c.depth,
                "label": c.label,
                "title": c.title,
                "body": c.body,
                "responsible_level": c.responsible_level,
            }
            for c in section.clauses.all()
        ],
    }


def _export_round(round_):
    return {
        "number": round_.number,
        "name": round_.name,
        "heading": round_.heading,
        "theme": round_.theme,
        "start": _date(round_.start),
        "end": _date(round_.end),
        "report_due": _date(round_.report_due),
        "description": round_.description,
        "is_peak": round_.is_peak,
        "commemorations": [
            {
                "name": c.name,
                "base_date": _date(c.base_date),
                "anniversary_date": _date(c.anniversary_date),
                "years": c.years,
                "note": c.note,
            }
            for c in round_.commemorations.all()
        ],
    }


def _export_targets(campaign, *, allocations=True):
    related = ["targets__unit_kinds"]
    if allocations:
        related += ["targets__allocations__organization", "targets__allocations__allocated_by"]
    groups = campaign.target_groups.prefetch_related(*related)
    return [
        {
            "label": g.label,
            "title": g.title,
            "intro": g.intro,
            "layout": g.layout,
            "targets": [
                {
                    "code": t.code,
                    "label": t.label,
                    "joiner": t.joiner,
                    "text": t.text,
                    "kind": t.kind,
                    "comparator": t.comparator,
                    "plan_value": _number(t.plan_value),
                    "unit": t.unit_label,
                    "sectors": list(t.sectors),
                    "unit_kinds": sorted(k.code for k in t.unit_kinds.all()),
                    "period": t.period,
                    "source": t.source,
                    "allocations": sorted(
                        (
                            {
                                "unit": a.organization.code,
                                "allocated_by": a.allocated_by.code,
                                "value": _number(a.value),
                            }
                            for a in t.allocations.all()
                        ),
                        key=lambda a: (a["allocated_by"], a["unit"]),
                    )
                    if allocations
                    else [],
                }
                for t in g.targets.all()
            ],
        }
        for g in groups
    ]


def _export_task(task):
    return {
        "depth": task.depth,
        "label": task.label,
        "text": task.text,
        "lead": task.lead,
        "responsible_label": task.responsible_label,
        "responsible": task.responsible,
        "timing": task.timing,
        "due_date": _date(task.due_date),
    }


# Validation --------------------------------------------------------------------

# Vietnamese wording for the JSON Schema checks users can trip over.
SCHEMA_MESSAGES = {
    "required": "thiếu trường bắt buộc {missing}",
    "type": "phải có kiểu {expected}",
    "enum": "phải là một trong {choices}",
    "const": "phải là {const}",
    "additionalProperties": "có trường không được phép: {extra}",
    "minLength": "không được để trống",
    "maxLength": "dài quá {limit} ký tự",
    "minimum": "phải từ {limit} trở lên",
    "maximum": "phải không quá {limit}",
    "pattern": "không đúng định dạng (ngày viết YYYY-MM-DD)",
    "format": "không phải ngày hợp lệ (YYYY-MM-DD)",
    "uniqueItems": "có phần tử trùng nhau",
}


def _path(error):
    parts = []
    for part in error.absolute_path:
        parts.append(f"[{part + 1}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "".join(parts) or "(gốc)"


def _schema_message(error):
    template = SCHEMA_MESSAGES.get(error.validator)
    if template is None:
        return error.message
    if error.validator == "required":
        missing = next((p for p in error.validator_value if p not in error.instance), "")
        return template.format(missing=f"“{missing}”")
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return template.format(extra=", ".join(f"“{e}”" for e in extra))
    values = {
        "expected": error.validator_value,
        "choices": ", ".join(map(str, error.validator_value)) if isinstance(error.validator_value, list) else "",
        "const": error.validator_value,
        "limit": error.validator_value,
    }
    return template.format(**values)


def schema_errors(data):
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{_path(e)}: {_schema_message(e)}" for e in errors]


def parse_json(raw):
    """Bytes or text to a dict, or ImportErrors saying why not."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        data = json.loads(text)
    except UnicodeDecodeError:
        raise ImportErrors([_("The file is not UTF-8 text.")]) from None
    except json.JSONDecodeError as exc:
        raise ImportErrors(
            [
                _("The file is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": exc.lineno, "column": exc.colno}
            ]
        ) from None
    except RecursionError:  # "[[[[…": the decoder recurses once per level
        raise ImportErrors([_("The file nests lists or objects too deeply to be a campaign document.")]) from None
    except ValueError:  # an integer of more than 4 300 digits (Python's int-from-text limit)
        raise ImportErrors([_("The file holds a number with too many digits.")]) from None
    if not isinstance(data, dict):
        raise ImportErrors([_("The file must hold one campaign object.")])
    return data


def _d(value):
    return datetime.date.fromisoformat(value) if value else None


class _Resolver:
    """Looks up every code the document names, collecting what cannot be found."""

    def __init__(self, data, owner_override):
        self.errors = []
        codes = {data["owner"]} if not owner_override else set()
        if data["issuer"].get("organization"):
            codes.add(data["issuer"]["organization"])
        for group in data["target_groups"]:
            for target in group["targets"]:
                for allocation in target.get("allocations", []):
                    codes.add(allocation["unit"])
                    if allocation.get("allocated_by"):
                        codes.add(allocation["allocated_by"])
        if data.get("parent"):
            codes.add(data["parent"]["owner"])
        self.units = {o.code: o for o in Organization.objects.filter(code__in=codes)}
        self.owner = owner_override or self.unit(data["owner"], "owner")
        kind_codes = set(data.get("scope", {}).get("unit_kinds", []))
        for group in data["target_groups"]:
            for target in group["targets"]:
                kind_codes |= set(target.get("unit_kinds", []))
        self.kinds = {k.code: k for k in OrganizationKind.objects.filter(code__in=kind_codes)}
        for code in sorted(kind_codes - set(self.kinds)):
            self.errors.append(_("Unknown unit kind “%(code)s”.") % {"code": code})
        types = {t.abbreviation: t for t in DocumentType.objects.all()}
        self.doc_type = types.get(data["document"]["type"])
        if self.doc_type is None:
            self.errors.append(
                _("document.type: unknown document type “%(type)s”.") % {"type": data["document"]["type"]}
            )

    def unit(self, code, where):
        unit = self.units.get(code)
        if unit is None:
            self.errors.append(_("%(where)s: no unit has the code “%(code)s”.") % {"where": where, "code": code})
        return unit


def _check_allocations(data, resolver):
    owner = resolver.owner
    if owner is None:
        return
    below = set(Organization.objects.subtree(owner, include_self=False).values_list("code", flat=True))
    for g_index, group in enumerate(data["target_groups"], start=1):
        for t_index, target in enumerate(group["targets"], start=1):
            for a_index, allocation in enumerate(target.get("allocations", []), start=1):
                where = f"target_groups[{g_index}].targets[{t_index}].allocations[{a_index}]"
                unit = resolver.unit(allocation["unit"], where)
                if unit is not None and unit.code not in below:
                    resolver.errors.append(
                        _("%(where)s: “%(unit)s” is not below %(owner)s.")
                        % {"where": where, "unit": unit.code, "owner": owner.code}
                    )
                if target["kind"] not in ("count", "money"):
                    resolver.errors.append(
                        _("%(where)s: only count and money targets are allocated.") % {"where": where}
                    )


def _check_codes(data):
    errors = []
    seen = set()
    for group in data["target_groups"]:
        for target in group["targets"]:
            if target["code"] in seen:
                errors.append(_("Target code “%(code)s” is used twice.") % {"code": target["code"]})
            seen.add(target["code"])
            if target.get("source") == "initiatives" and target["kind"] != "count":
                errors.append(f"{target['code']}: {INITIATIVES_NEED_COUNT}")
    numbers = [r["number"] for r in data["rounds"]]
    if len(numbers) != len(set(numbers)):
        errors.append(_("Two rounds have the same number."))
    for index, deadline in enumerate(data.get("deadlines", []), start=1):
        if deadline.get("round") and deadline["round"] not in numbers:
            errors.append(
                _("deadlines[%(index)s]: there is no round %(round)s.") % {"index": index, "round": deadline["round"]}
            )
    return errors


def validate(data, *, owner=None):
    """Every problem of a campaign document, as messages; an empty list means it imports."""
    errors = schema_errors(data)
    if errors:
        return errors
    resolver = _Resolver(data, owner)
    _check_allocations(data, resolver)
    errors = resolver.errors + _check_codes(data)
    document = data["document"]
    rounds = [
        {
            "number": r["number"],
            "start": _d(r.get("start")),
            "end": _d(r["end"]),
            "report_due": _d(r.get("report_due")),
        }
        for r in data["rounds"]
    ]
    errors += [
        f"rounds[{index}]: {message}" if index else message
        for index, message in check_campaign_rules(
            year=document["year"],
            issued_on=_d(document.get("issued_on")),
            allow_outside_year=document.get("allow_outside_year", False),
            rounds=rounds,
        )
    ]
    if not errors and resolver.owner is not None:
        errors += _check_number(data, resolver)
    return errors


def _issuer_for(data, owner):
    spec = data["issuer"]
    return Issuer.objects.filter(managed_by=owner, name=spec["name"]).first()


def _check_number(data, resolver):
    document = data["document"]
    issuer = _issuer_for(data, resolver.owner)
    errors = []
    if issuer is not None:
        for field in ("style", "abbreviation", "place", "parent_name"):
            if data["issuer"].get(field, "") != getattr(issuer, field):
                errors.append(
                    _("issuer: “%(name)s” already exists with a different %(field)s.")
                    % {"name": issuer.name, "field": field}
                )
    if issuer is not None and document.get("number"):
        symbol = document.get("symbol") or issuer.symbol_for(resolver.doc_type)
        year = _d(document.get("issued_on")).year if document.get("issued_on") else document["year"]
        clash = Campaign.objects.filter(issuer=issuer, number_year=year, number=document["number"], symbol=symbol)
        if clash.exists():
            errors.append(
                _("document.number: %(number)s/%(symbol)s of %(year)s is already used by this issuer.")
                % {"number": document["number"], "symbol": symbol, "year": year}
            )
    return errors


# Import --------------------------------------------------------------------------


@transaction.atomic
def import_campaign(data, *, actor, owner=None):
    """Create the campaign a document describes, or raise ImportErrors and write nothing."""
    errors = validate(data, owner=owner)
    if errors:
        raise ImportErrors(errors)
    resolver = _Resolver(data, owner)
    owner = resolver.owner
    issuer = _issuer_for(data, owner) or _create_issuer(data["issuer"], owner, resolver, actor)
    document = data["document"]
    issued_on = _d(document.get("issued_on"))
    campaign = Campaign(
        owner=owner,
        issuer=issuer,
        parent=_find_parent(data.get("parent")),
        doc_type=resolver.doc_type,
        type_heading=document.get("heading") or resolver.doc_type.heading,
        number=document.get("number"),
        symbol=document.get("symbol") or issuer.symbol_for(resolver.doc_type),
        number_year=issued_on.year if issued_on else document["year"],
        place=document.get("place") or issuer.place,
        issued_on=issued_on,
        subject=document["subject"],
        year=document["year"],
        kind=document["kind"],
        allow_outside_year=document.get("allow_outside_year", False),
        scope_sectors=data.get("scope", {}).get("sectors", []),
        status=document.get("status", Status.DRAFT),
        created_by=actor,
        **_signer_fields(data["signer"]),
    )
    if campaign.status != Status.DRAFT:
        campaign.published_at = timezone.now()
    save_as(campaign, actor, reason=_("Imported"))
    campaign.scope_kinds.set([resolver.kinds[c] for c in data.get("scope", {}).get("unit_kinds", [])])
    _create_body(campaign, data, actor)
    _create_targets(campaign, data, resolver, actor)
    if campaign.status != Status.DRAFT:
        CampaignVersion.objects.create(
            campaign=campaign,
            number=1,
            data=export_campaign(campaign),
            reason=_("Imported"),
            created_by=actor,
        )
    if campaign.status != Status.DRAFT:
        plan_published.send(Campaign, campaign=campaign)
    return campaign


def _signer_fields(signer):
    return {
        "signer_collective_authority": signer.get("collective_authority", ""),
        "signer_collective": signer.get("collective", ""),
        "signer_authority": signer.get("authority", ""),
        "signer_head_title": signer.get("head_title", ""),
        "signer_title": signer.get("title", ""),
        "signer_name": signer.get("name", ""),
    }


def _create_issuer(spec, owner, resolver, actor):
    organization = resolver.units.get(spec["organization"]) if spec.get("organization") else None
    issuer = Issuer(
        managed_by=owner,
        organization=organization,
        style=spec["style"],
        parent_name=spec.get("parent_name", ""),
        name=spec["name"],
        abbreviation=spec["abbreviation"],
        place=spec["place"],
    )
    return save_as(issuer, actor)


def _find_parent(reference):
    if not reference:
        return None
    return (
        Campaign.objects.filter(
            owner__code=reference["owner"],
            year=reference["year"],
            number=reference.get("number"),
            symbol=reference.get("symbol", ""),
        )
        .order_by("pk")
        .first()
    )


def _create(model, actor, **fields):
    return save_as(model(**fields), actor, reason=_("Imported"))


def _bulk_create(model, actor, objs):
    """bulk_create, plus the history rows that bulk_create does not write."""
    created = model.objects.bulk_create(list(objs))
    record_bulk(created, actor=actor, reason=_("Imported"))
    return created


def _create_body(campaign, data, actor):
    _bulk_create(
        LegalBasis,
        actor,
        (LegalBasis(campaign=campaign, position=i, text=text) for i, text in enumerate(data.get("legal_bases", []))),
    )
    _bulk_create(
        Theme,
        actor,
        (
            Theme(campaign=campaign, position=i, kind=t["kind"], text=t["text"])
            for i, t in enumerate(data.get("themes", []))
        ),
    )
    for position, spec in enumerate(data["sections"]):
        section = _create(
            Section,
            actor,
            campaign=campaign,
            position=position,
            kind=spec["kind"],
            label=spec.get("label", ""),
            title=spec.get("title", ""),
            intro=spec.get("intro", ""),
            closing=spec.get("closing", ""),
        )
        _bulk_create(
            Clause,
            actor,
            (
                Clause(
                    section=section,
                    position=i,
                    depth=c.get("depth", 0),
                    label=c.get("label", ""),
                    title=c.get("title", ""),
                    body=c["body"],
                    responsible_level=c.get("responsible_level"),
                )
                for i, c in enumerate(spec.get("clauses", []))
            ),
        )
    rounds = {}
    for spec in data["rounds"]:
        round_ = _create(
            Round,
            actor,
            campaign=campaign,
            number=spec["number"],
            name=spec["name"],
            heading=spec.get("heading", ""),
            theme=spec.get("theme", ""),
            start=_d(spec.get("start")),
            end=_d(spec["end"]),
            report_due=_d(spec.get("report_due")),
            description=spec.get("description", ""),
            is_peak=spec.get("is_peak", False),
        )
        rounds[round_.number] = round_
        _bulk_create(
            Commemoration,
            actor,
            (
                Commemoration(
                    round=round_,
                    position=i,
                    name=c["name"],
                    base_date=_d(c.get("base_date")),
                    anniversary_date=_d(c.get("anniversary_date")),
                    years=c.get("years"),
                    note=c.get("note", ""),
                )
                for i, c in enumerate(spec.get("commemorations", []))
            ),
        )
    _bulk_create(
        Task,
        actor,
        (
            Task(
                campaign=campaign,
                position=i,
                depth=t.get("depth", 0),
                label=t.get("label", ""),
                text=t["text"],
                lead=t.get("lead", ""),
                responsible_label=t.get("responsible_label", "advise"),
                responsible=t.get("responsible", ""),
                timing=t.get("timing", ""),
                due_date=_d(t.get("due_date")),
            )
            for i, t in enumerate(data.get("tasks", []))
        ),
    )
    _bulk_create(
        Deadline,
        actor,
        (
            Deadline(
                campaign=campaign,
                position=i,
                kind=d["kind"],
                description=d["description"],
                due_date=_d(d["due_date"]),
                round=rounds.get(d.get("round")),
            )
            for i, d in enumerate(data.get("deadlines", []))
        ),
    )
    _bulk_create(
        Recipient,
        actor,
        (
            Recipient(campaign=campaign, position=i, text=r["text"], group_note=r.get("group", ""))
            for i, r in enumerate(data["recipients"])
        ),
    )


def _create_targets(campaign, data, resolver, actor):
    for g_position, spec in enumerate(data["target_groups"]):
        group = _create(
            TargetGroup,
            actor,
            campaign=campaign,
            position=g_position,
            label=spec.get("label", ""),
            title=spec.get("title", ""),
            intro=spec.get("intro", ""),
            layout=spec.get("layout", "lines"),
        )
        for position, t in enumerate(spec["targets"]):
            target = _create(
                Target,
                actor,
                campaign=campaign,
                group=group,
                position=position,
                code=t["code"],
                label=t.get("label", ""),
                joiner=t.get("joiner", ""),
                text=t["text"],
                kind=t["kind"],
                comparator=t.get("comparator", "gte"),
                plan_value=None if t.get("plan_value") is None else Decimal(str(t["plan_value"])),
                unit_label=t.get("unit", ""),
                sectors=t.get("sectors", []),
                period=t.get("period", "year"),
                source=t.get("source", "reported"),
            )
            target.unit_kinds.set([resolver.kinds[c] for c in t.get("unit_kinds", [])])
            _bulk_create(
                Allocation,
                actor,
                (
                    Allocation(
                        target=target,
                        organization=resolver.units[a["unit"]],
                        allocated_by=resolver.units.get(a.get("allocated_by")) or resolver.units[a["unit"]].parent,
                        value=Decimal(str(a["value"])),
                    )
                    for a in t.get("allocations", [])
                ),
            )
