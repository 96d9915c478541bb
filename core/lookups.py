"""Query lookups the portal adds to Django's."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """``__in`` on an integer column, leaving out the values outside the column's range.

    Such values match nothing. Django already drops them for ``exact`` (IntegerFieldOverflow),
    not for ``in``: SQLite then cannot even bind the query, and a form posting an id such as
    "99999999999999999999" to a ModelMultipleChoiceField answered 500 instead of "not a valid
    choice".
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
