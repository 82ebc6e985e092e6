"""Query expressions the apps share."""

from django.db.models import F, Func, IntegerField


class Rank(Func):
    """A column's place in a fixed list of its values, for ordering by what the values mean
    rather than by their text (the kinds of member in seed 004's order, the states of an
    application in the order it lives through them): ``CASE column WHEN v0 THEN 0 WHEN v1
    THEN 1 … ELSE n END``, a value not in the list last.

    The same ordering as ``Case(When(column=v0, then=0), …)``, which resolves a filter for
    each value every time a query uses it: that cost ~0.5 ms a query, more than the query
    took to run (issue #12). Here only the column is resolved; the values are parameters, the
    ranks the list's own integers."""

    output_field = IntegerField()

    def __init__(self, column: str, values):
        # A choice's stored value (TextChoices members are str, but not the database's str).
        self.values = tuple(getattr(value, "value", value) for value in values)
        super().__init__(F(column))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        whens = " ".join(f"WHEN %s THEN {rank}" for rank in range(len(self.values)))
        return f"CASE {column} {whens} ELSE {len(self.values)} END", (*params, *self.values)
