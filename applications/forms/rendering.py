"""Form fields rendered in Python, with the markup Django's widget templates and
crispy-bootstrap5's field template produce (issue #12).

Why: a widget is rendered through a template, and a select or a list of checkboxes through one
more template per option; crispy renders each field through half a dozen more. On the national
dataset the application form (about 40 fields, five tables of rows, selects of every insats and
open application of the förbund) cost ~150 ms of CPU per page, nearly all of it in those
templates. Here the same HTML is written by a few string joins: the same attributes in the same
order, the same ids, labels, error texts and aria attributes, so the browser, assistive
technology and the tests see the page as before. ``tests/test_application_rendering.py``
compares every field of the app's forms, bound and unbound, valid and not, with what the
templates make.

- ``PythonRenderer``: a form renderer (``default_renderer`` of a form, ``renderer=`` of a
  formset) that writes the widgets of ``WIDGETS`` in Python and leaves any other template to
  Django.
- ``field_html(bound_field)``: what ``{{ field|as_crispy_field }}`` makes (the bootstrap5 pack,
  no helper, no label or field class), used through the ``as_field`` filter of
  ``applications_forms``.
"""

import html

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def escape(text) -> str:
    """django.utils.html.escape without its lazy-string wrapper (called thousands of times on a
    big form): the same text, not yet marked safe."""
    return html.escape(str(text))


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {escape(name)}")
        else:
            parts.append(f' {escape(name)}="{escape(str(value))}"')
    return "".join(parts)


def _shown(value) -> str:
    """A value printed by ``{{ value }}``: localised, then escaped unless already safe."""
    if type(value) is str:  # the common case (not SafeString), without localize's checks
        return html.escape(value)
    return conditional_escape(localize(value))


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{escape(str(value))}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{shown}'
        f"{attrs_html(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{escape(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{_shown(value) if value else ''}</textarea>"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{escape(str(option["value"]))}"{attrs_html(option["attrs"])}>'
        f"{_shown(option['label'])}</option>"
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        parts.extend(f"\n  {_option(option)}" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input_option(option: dict) -> str:
    if not option["wrap_label"]:
        return _input(option)
    label_for = f' for="{escape(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(option)} {_shown(option['label'])}</label>"


def _multiple_input(widget: dict) -> str:
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_shown(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_shown(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_shown(group)}</label>")
        parts.extend(f"<div>\n    {_input_option(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


_W = "django/forms/widgets/"
# Django's widget templates this renderer writes itself; any other goes to the templates.
WIDGETS = {
    **{
        f"{_W}{name}.html": _input
        for name in (
            "input",
            "text",
            "email",
            "url",
            "number",
            "password",
            "hidden",
            "date",
            "datetime",
            "time",
            "checkbox",
            "search",
            "tel",
            "color",
        )
    },
    f"{_W}textarea.html": _textarea,
    f"{_W}select.html": _select,
    f"{_W}radio.html": _multiple_input,
    f"{_W}checkbox_select.html": _multiple_input,
}


class PythonRenderer(DjangoTemplates):
    """Django's template renderer, except that the widgets of ``WIDGETS`` are written here."""

    def render(self, template_name, context, request=None):
        write = WIDGETS.get(template_name)
        if write is None:
            return super().render(template_name, context, request=request)
        return write(context["widget"]).strip()


RENDERER = PythonRenderer()


# crispy-bootstrap5's field.html (as |as_crispy_field renders it: errors and labels shown, no
# label_class, field_class, wrapper_class or horizontal form).


def _add_classes(bound_field, classes: str) -> None:
    """crispy's {% crispy_field field 'class' '…' %}: the widget's class name (``textinput``)
    and ``classes`` are added to the widget's class attribute, on the widget itself."""
    widget = bound_field.field.widget
    widget = getattr(widget, "widget", widget)
    class_name = widget.__class__.__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(class_name) == -1:
            css += f" {class_name}"
    else:
        css = class_name
    for name in classes.split():
        if name not in css.split():
            css += f" {name}"
    widget.attrs["class"] = css


def _errors_block(bound_field) -> str:
    errors = bound_field.errors
    if not errors:
        return ""
    auto_id = bound_field.auto_id
    lines = "".join(
        f'<p id="error_{number}_{_shown(auto_id)}"><strong>{_shown(error)}</strong></p>'
        for number, error in enumerate(errors, start=1)
    )
    return f'<div id="{_shown(errors.field_id)}_error" class="invalid-feedback">{lines}</div>'


def _help_text(bound_field) -> str:
    if not bound_field.help_text:
        return ""
    auto_id = bound_field.auto_id
    id_attr = f'id="{_shown(auto_id)}_helptext" ' if auto_id else ""
    return f'<div {id_attr}class="form-text">{bound_field.help_text}</div>'


def _label_text(bound_field) -> str:
    required = '<span class="asteriskField">*</span>' if bound_field.field.required else ""
    return f"{_shown(bound_field.label)}{required}"


def _choices_html(bound_field) -> str:
    """crispy's radio_checkbox_select.html: one form-check per option."""
    widget = bound_field.field.widget
    errors = bound_field.errors
    id_ = widget.attrs.get("id") or bound_field.auto_id
    attrs = bound_field.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(
        bound_field.html_name, widget.format_value(bound_field.value()), attrs
    )
    invalid = " is-invalid" if errors else ""
    name = escape(bound_field.html_name)
    parts = ["<div >"]
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{_shown(group)}</strong>")
        for number, option in enumerate(options, start=1):
            parts.append(
                f'<div class="form-check"><input type="{escape(option["type"])}" '
                f'class="form-check-input{invalid}"  name="{name}" '
                f'value="{escape(str(option["value"]))}" {attrs_html(option["attrs"])}>'
                f'<label for="{_shown(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{escape(str(option['label']))}</label>"
            )
            if errors and number == len(options) and group_number == len(groups):
                parts.append(_errors_block(bound_field))
            parts.append("</div>")
    parts.append("</div>")
    parts.append(_help_text(bound_field))
    return "".join(parts)


def field_html(bound_field) -> SafeString:
    """The field as ``{{ bound_field|as_crispy_field }}`` renders it (bootstrap5)."""
    if bound_field.is_hidden:
        return mark_safe(str(bound_field))
    widget = bound_field.field.widget
    checkbox = isinstance(widget, forms.CheckboxInput)
    choices = isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
    errors = bound_field.errors
    required = bound_field.field.required
    css_classes = bound_field.css_classes()
    wrapper = "form-check" if checkbox else "mb-3"
    parts = ['<div class="mb-3">'] if checkbox else []
    parts.append(
        f'<div id="div_{_shown(bound_field.auto_id)}" class="{wrapper}'
        f'{" " + css_classes if css_classes else ""}">'
    )
    fieldset = bound_field.use_fieldset
    if bound_field.label and not checkbox:
        if fieldset:
            described = bound_field.aria_describedby
            parts.append(
                f'<fieldset aria-describedby="{_shown(described)}">' if described else "<fieldset>"
            )
        tag = "legend" if fieldset else "label"
        label_for = f'for="{_shown(bound_field.id_for_label)}" ' if bound_field.id_for_label else ""
        parts.append(
            f'<{tag} {label_for}class="form-label{" requiredField" if required else ""}'
            f'{" fs-6" if fieldset else ""}">{_label_text(bound_field)}</{tag}>'
        )
    if choices:
        parts.append(_choices_html(bound_field))
    elif checkbox:
        _add_classes(bound_field, "form-check-input is-invalid" if errors else "form-check-input")
        parts.append(str(bound_field))
        parts.append(
            f'<label for="{_shown(bound_field.id_for_label)}" class="form-check-label'
            f'{" requiredField" if required else ""}">{_label_text(bound_field)}</label>'
        )
        parts.append(_errors_block(bound_field) + _help_text(bound_field))
    else:
        base = "form-select" if isinstance(widget, forms.Select) else "form-control"
        _add_classes(bound_field, f"{base} is-invalid" if errors else base)
        parts.append(str(bound_field))
        parts.append(_errors_block(bound_field) + _help_text(bound_field))
    if fieldset and bound_field.label:
        parts.append("</fieldset>")
    parts.append("</div>")
    if checkbox:
        parts.append("</div>")
    return mark_safe("".join(parts))


def form_html(form) -> SafeString:
    """``{{ form|crispy }}``: the form's errors not tied to a field, then every field."""
    parts = []
    if form.non_field_errors():
        items = "".join(f"<li>{_shown(error)}</li>" for error in form.non_field_errors())
        parts.append(
            f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>'
        )
    parts.extend(field_html(field) for field in form)
    return mark_safe("".join(parts))


def formset_table(formset) -> SafeString:
    """The head and rows of a table of rows (templates/applications/form.html): per cell a
    label for assistive technology ("Belopp (kr), rad 2"), the widget and its errors, the row's
    hidden fields (its id) in its first cell; the errors of the row as a whole under it."""
    heads = "".join(
        f'<th scope="col">{"Ta bort" if field.name == "DELETE" else _shown(field.label)}</th>'
        for field in formset.empty_form.visible_fields()
    )
    parts = [f"<thead><tr>{heads}</tr></thead><tbody>"]
    for number, row in enumerate(formset, start=1):
        parts.append("<tr>")
        hidden = "".join(str(field) for field in row.hidden_fields())
        for index, field in enumerate(row.visible_fields()):
            label = (
                f"Ta bort rad {number}"
                if field.name == "DELETE"
                else f"{_shown(field.label)}, rad {number}"
            )
            errors = field.errors
            error = (
                f'<div id="{_shown(field.auto_id)}_error" class="text-danger small">'
                f"{' '.join(conditional_escape(text) for text in errors)}</div>"
                if errors
                else ""
            )
            parts.append(
                f"<td>{hidden if index == 0 else ''}"
                f'<label class="visually-hidden" for="{_shown(field.id_for_label)}">{label}'
                f"</label>{field}{error}</td>"
            )
        parts.append("</tr>")
        row_errors = row.non_field_errors()
        if row_errors:
            parts.append(
                '<tr><td colspan="9" class="text-danger small">'
                f"{' '.join(conditional_escape(text) for text in row_errors)}</td></tr>"
            )
    parts.append("</tbody>")
    return mark_safe("".join(parts))
