"""A covenant's ranking in Excel: the same rows and numbers as the ranking page."""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from awards.services.clusters import ranking
from core.text import fold
from core.xlsx import DECIMAL_FORMAT, Column, XlsxExporter


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
