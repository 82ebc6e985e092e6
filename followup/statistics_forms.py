"""The statistics pages' choice of year or period (validates only)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from finsam.forms import valid_filters
from followup.statistics import MAX_MONTHS, Period

PERIOD_TOO_LONG = f"Välj en period på högst {MAX_MONTHS // 12} år."
PERIOD_REVERSED = "Periodens sista dag ligger före den första."
PERIOD_HALF = "Ange både första och sista dag, eller bara ett år."


class StatisticsPeriodForm(forms.Form):
    year = forms.IntegerField(label="År", required=False, min_value=2000, max_value=2100)
    start = forms.DateField(
        label="Från", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="Till", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise ValidationError(PERIOD_HALF, code="half")
        if start and end:
            if end < start:
                raise ValidationError(PERIOD_REVERSED, code="reversed")
            if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                raise ValidationError(PERIOD_TOO_LONG, code="too_long")
        return data

    def period(self, today: datetime.date) -> Period:
        """The period asked for; the year asked for where the period is not valid (the form
        shows why), and this year where no valid year is asked for either."""
        data = valid_filters(self)
        if data.get("start") and data.get("end") and not self.non_field_errors():
            return Period(data["start"], data["end"])
        return Period.year(data.get("year") or today.year)
