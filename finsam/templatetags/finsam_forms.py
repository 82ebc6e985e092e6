"""The organisation's and the accounts' forms as HTML written in Python (issue #12).

Why: crispy-forms renders each field through half a dozen templates, and Django renders each
widget through one more, a select one more per option. The board seat form (a select of the
förbund's people) cost ~15 ms of CPU per page that way. Here the same HTML is a few string
joins: crispy-bootstrap5's field markup and Django's widget markup, with the same attributes in
the same order, the same ids, labels, required marks, help texts, error messages and aria
attributes, so that browsers, assistive technology and the tests see the same page.
``tests/test_organisation_form_html.py`` compares every form of these pages, bound and unbound,
valid and not, with what crispy makes.

- ``PythonRenderer``: the forms' renderer (``default_renderer``); it writes Django's input,
  select and textarea widgets in Python and leaves any other template to Django.
- ``{% plain_crispy form %}``: what ``{% crispy form %}`` makes of a form with a FormHelper
  without a layout (errors inline as ``<span>``, then the helper's buttons).
- ``{{ form|plain_form }}``: what ``{{ form|crispy }}`` makes (errors as ``<p>``).
A field kind not written here (files, multi-widgets) is left to crispy.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, optgroups
from django import forms, template
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import slugify
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe

register = template.Library()

WIDGETS = "django/forms/widgets/"
ASTERISK = '<span class="asteriskField">*</span>'


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped unless it is safe."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _shown(value) -> str:
    """``{{ value }}``: localised, then escaped unless it is safe."""
    return conditional_escape(localize(value))


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{attrs_html(widget['attrs'])}>"
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{attrs_html(option["attrs"])}>'
                f"{_shown(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{_shown(value) if value else ''}</textarea>"
    )


WRITERS = {
    **{
        f"{WIDGETS}{kind}.html": _input
        for kind in ("input", "text", "number", "email", "url", "date", "password", "hidden")
    },
    f"{WIDGETS}checkbox.html": _input,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}textarea.html": _textarea,
}


class PythonRenderer(DjangoTemplates):
    """Django's template renderer, except that the widgets of WRITERS are written in Python."""

    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is None:
            return super().render(template_name, context, request)
        return writer(context["widget"])


def _widget_class(field, css: str) -> None:
    """What crispy's ``{% crispy_field field 'class' css %}`` does to the widget before it is
    rendered: the widget's class name ("textinput") and ``css`` added to its class."""
    widget = field.field.widget
    class_name = widget.__class__.__name__.lower()
    current = widget.attrs.get("class", "")
    if current:
        if current.find(class_name) == -1:
            current += f" {class_name}"
    else:
        current = class_name
    for name in css.split():
        if name not in current.split():
            current += f" {name}"
    widget.attrs["class"] = current


def _errors(field, tag: str) -> str:
    if not field.errors:
        return ""
    items = "".join(
        f'<{tag} id="error_{number}_{field.auto_id}"><strong>{_shown(error)}</strong></{tag}>'
        for number, error in enumerate(field.errors, 1)
    )
    return f'<div id="{field.errors.field_id}_error" class="invalid-feedback">{items}</div>'


def _help(field) -> str:
    if not field.help_text:
        return ""
    ident = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
    return f'<div {ident}class="form-text">{field.help_text}</div>'


def _label(field) -> str:
    required = field.field.required
    tag = "legend" if field.use_fieldset else "label"
    target = f' for="{field.id_for_label}"' if field.id_for_label else ""
    classes = "form-label" + (" requiredField" if required else "")
    classes += " fs-6" if field.use_fieldset else ""
    text = f"{_shown(field.label)}{ASTERISK if required else ''}"
    return f'<{tag}{target} class="{classes}">{text}</{tag}>'


def _choices(field) -> str:
    """crispy-bootstrap5's layout/radio_checkbox_select.html, without inline or field class."""
    invalid = " is-invalid" if field.errors else ""
    groups = list(optgroups(field))
    parts = ["<div >"]
    for group_number, (group, options, _index) in enumerate(groups, 1):
        if group:
            parts.append(f"<strong>{_shown(group)}</strong>")
        for number, option in enumerate(options, 1):
            last = number == len(options) and group_number == len(groups)
            parts.append(
                f'<div class="form-check"><input type="{_text(option["type"])}" '
                f'class="form-check-input{invalid}"  name="{_text(field.html_name)}" '
                f'value="{_text(option["value"])}" {attrs_html(option["attrs"])}>'
                f'<label for="{_text(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{conditional_escape(option['label'])}</label>"
                f"{_errors(field, 'p') if last else ''}</div>"
            )
    parts.append("</div>")
    parts.append(_help(field))
    return "".join(parts)


def field_html(field, *, error_tag: str = "span") -> str:
    """One field as crispy-bootstrap5's field.html writes it with a form's default settings
    (labels and errors shown, help text after the errors; ``error_tag`` "span" as with a
    FormHelper, "p" as the ``crispy`` filter writes them)."""
    if field.is_hidden:
        return str(field)
    widget = field.field.widget
    if isinstance(widget, forms.FileInput | forms.MultiWidget) or getattr(widget, "widget", None):
        return as_crispy_field(field)
    css = f" {field.css_classes()}" if field.css_classes() else ""
    details = _errors(field, error_tag) + _help(field)
    if isinstance(widget, forms.CheckboxInput):
        _widget_class(field, "form-check-input is-invalid" if field.errors else "form-check-input")
        required = field.field.required
        return (
            f'<div class="mb-3"><div id="div_{field.auto_id}" class="form-check{css}">'
            f'{field}<label for="{field.id_for_label}" class="form-check-label'
            f'{" requiredField" if required else ""}">{_shown(field.label)}'
            f"{ASTERISK if required else ''}</label>{details}</div></div>"
        )
    parts = [f'<div id="div_{field.auto_id}" class="mb-3{css}">']
    fieldset = field.use_fieldset and field.label
    if fieldset:
        describedby = field.aria_describedby
        parts.append(
            f'<fieldset aria-describedby="{describedby}">' if describedby else "<fieldset>"
        )
    if field.label:
        parts.append(_label(field))
    if isinstance(widget, forms.RadioSelect):
        parts.append(_choices(field))
    else:
        css_class = "form-select" if isinstance(widget, forms.Select) else "form-control"
        _widget_class(field, f"{css_class} is-invalid" if field.errors else css_class)
        parts.append(f"{field}{details}")
    if fieldset:
        parts.append("</fieldset>")
    parts.append("</div>")
    return "".join(parts)


def _non_field_errors(form) -> str:
    errors = form.non_field_errors()
    if not errors:
        return ""
    items = "".join(f"<li>{_shown(error)}</li>" for error in errors)
    return f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>'


def _inputs(helper) -> str:
    """crispy's inputs.html and layout/baseinput.html: the helper's buttons."""
    if not helper.inputs:
        return ""
    buttons = []
    for button in helper.inputs:
        name = slugify(button.name) if len(button.name.split()) > 1 else button.name
        if button.input_type == "hidden":
            buttons.append(
                f'<input type="hidden" name="{_text(name)}" value="{_text(button.value)}"'
            )
        else:
            ident = button.id or f"{button.input_type}-id-{slugify(button.name)}"
            buttons.append(
                f'<input type="{button.input_type}" name="{_text(name)}" '
                f'value="{_text(button.value)}" class="{button.field_classes}" id="{ident}"'
            )
        flat = str(button.flat_attrs).strip()
        buttons[-1] += f" {flat} />" if flat else " />"
    return f'<div class="mb-3"><div class="">{"".join(buttons)}</div></div>'


@register.simple_tag
def plain_crispy(form) -> SafeString:
    """``{% crispy form %}`` for a form whose FormHelper has no layout and no form tag."""
    helper = form.helper
    if helper.layout is not None or helper.form_tag:
        raise ValueError("plain_crispy writes only forms without a layout or a form tag")
    fields = "".join(field_html(field) for field in form)
    return mark_safe(f"{_non_field_errors(form)}{fields}{_inputs(helper)}")


@register.filter
def plain_form(form) -> SafeString:
    """``{{ form|crispy }}``: the form's own errors, then every field."""
    fields = "".join(field_html(field, error_tag="p") for field in form)
    return mark_safe(f"{_non_field_errors(form)}{fields}")
