"""Template tags over finsam/form_html.py: forms written in Python with crispy-bootstrap5's and
Django's markup (issue #12).

- ``{% plain_crispy form %}``: ``{% crispy form %}`` of a form whose FormHelper has no layout and
  no form tag.
- ``{{ form|plain_form }}``: ``{{ form|crispy }}``.
- ``{{ form.name|plain_field }}``: ``{{ form.name|as_crispy_field }}``.
- ``{{ formset|as_table_rows }}``: the head and rows of a table of rows.
"""

from django import template

from finsam import form_html

register = template.Library()

register.simple_tag(form_html.helper_form_html, name="plain_crispy")
register.filter("plain_form", form_html.form_html)
register.filter("plain_field", form_html.field_html)
register.filter("as_table_rows", form_html.formset_table)
