"""Form fields written in Python with crispy-bootstrap5's markup (applications.forms.rendering):
``{{ form.name|as_field }}`` for ``{{ form.name|as_crispy_field }}``, ``{{ form|as_fields }}`` for
``{{ form|crispy }}``; ``{{ formset|as_table_rows }}`` for the head and rows of a table of rows."""

from django import template

from applications.forms.rendering import field_html, form_html, formset_table

register = template.Library()


@register.filter
def as_field(bound_field):
    return field_html(bound_field)


@register.filter
def as_fields(form):
    return form_html(form)


@register.filter
def as_table_rows(formset):
    return formset_table(formset)
