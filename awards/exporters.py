"""Spreadsheets of the awards app. Exporters yield rows; core.xlsx writes them."""

from django.utils.translation import gettext_lazy as _

from awards.printing import printed_name
from core.text import fold
from core.xlsx import INTEGER_FORMAT, Column, XlsxExporter


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
