"""The budget's tables of rows (the chart, the equity ceilings) written in Python (issue #12):
what is the budget's own here; the widgets and the forms are finsam/form_html.py's (the forms'
renderer, ``{% load finsam_forms %}``)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from finsam.form_html import head_form

register = template.Library()


@register.filter
def formset_head(formset) -> SafeString:
    """The column heads: the labels of the fields of form_html.head_form."""
    return mark_safe(
        "".join(
            f'<th scope="col">{conditional_escape(capfirst(field.label))}</th>'
            for field in head_form(formset).visible_fields()
        )
    )


@register.filter
def formset_rows(formset) -> SafeString:
    """A formset's rows as table rows: one cell per visible field (named for screen readers by
    budget.forms.LabelledRowsFormSet), marked invalid and its error under it, tied to it; "Ta
    bort" a labelled checkbox; the hidden fields (the row's id) at the end of the row."""
    rows = []
    for form in formset:
        cells = []
        for field in form.visible_fields():
            errors = field.errors
            if errors:
                css = field.field.widget.attrs.get("class", "")
                widget = field.as_widget(attrs={"class": f"{css} is-invalid".strip()})
            else:
                widget = str(field)
            if field.name == "DELETE":
                widget = (
                    f'<div class="form-check">{widget}<label class="form-check-label" '
                    f'for="{conditional_escape(field.id_for_label)}">Ta bort</label></div>'
                )
            if errors:  # the id Django's aria-describedby names
                text = conditional_escape(" ".join(errors))
                widget += (
                    f'<div class="invalid-feedback d-block" '
                    f'id="{conditional_escape(field.auto_id)}_error">{text}</div>'
                )
            cells.append(f"<td>{widget}</td>")
        hidden = "".join(str(field) for field in form.hidden_fields())
        rows.append(f"<tr>{''.join(cells)}{hidden}</tr>")
    return mark_safe("\n".join(rows))
