"""Spreadsheets of the awards app. Exporters yield rows; core.xlsx writes them."""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from awards.printing import printed_name
from awards.services.clusters import ranking
from core.text import fold
from core.xlsx import DECIMAL_FORMAT, INTEGER_FORMAT, Column, XlsxExporter


class DecisionListExporter(XlsxExporter):
    """The list of an award decision, as its appendix prints it, under the decision's number and date.

    The caller has checked that the user may see the decision.
    """

    sheet_title = "Danh sach"
    columns = [
        Column(_("No."), 6),
        Column(_("Full name (collective)"), 32),
        Column(_("Position, unit"), 40),
        Column(_("Title or award form"), 40),
        Column(_("Reward (đồng)"), 16, number_format=INTEGER_FORMAT),
    ]

    def __init__(self, decision):
        self.decision = decision
        self.filename = (
            f"danh-sach-{decision.number:02d}-qd-{fold(decision.issuer.abbreviation)}-{decision.year}.xlsx".replace(
                " ", ""
            )
        )

    def header_rows(self):
        decision = self.decision
        return [
            [f"{decision.number_line} ngày {decision.issued_on:%d/%m/%Y}", decision.subject],
            [str(decision.issuer).replace("\n", " "), decision.get_status_display()],
            [str(column.header) for column in self.columns],
        ]

    def rows(self):
        entries = self.decision.entries.select_related("person", "organization", "title", "award_form")
        for index, entry in enumerate(entries, start=1):
            name = printed_name(entry.entry) if entry.award_form_id else entry.entry.name
            yield [index, entry.name, entry.description, name, entry.amount]


class RankingExporter(XlsxExporter):
    sheet_title = "Xep hang"
    frozen_columns = 3

    def __init__(self, covenant):
        self.covenant = covenant
        self.columns = [
            Column(_("Rank"), 8),
            Column(_("Unit code"), 16),
            Column(_("Unit"), 48),
            Column(_("Role"), 18),
            Column(_("Self score"), 14, DECIMAL_FORMAT),
            Column(_("Cross scores received"), 14),
            Column(_("Mean of cross scores"), 14, DECIMAL_FORMAT),
            Column(_("Final score"), 14, DECIMAL_FORMAT),
        ]
        self.filename = f"xep-hang-{slugify(fold(covenant.cluster.name))}-{covenant.year}.xlsx"

    def header_rows(self):
        return [
            [self.covenant.name],
            [str(column.header) for column in self.columns],
        ]

    def rows(self):
        for row in ranking(self.covenant):
            yield [
                row.rank,
                row.unit.code,
                row.unit.name,
                str(row.role_label),
                row.self_total,
                row.cross_count,
                row.cross_mean,
                row.final,
            ]
