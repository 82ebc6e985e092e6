"""Forms as HTML written in Python, with exactly the markup Django's widget templates and
crispy-forms' bootstrap5 pack produce (issue #12). The one implementation every app uses.

Why: Django renders each widget through a template, a select or a list of radio buttons one
more template per option, and crispy renders each field through half a dozen more. On the
national dataset the application form (about 40 fields, five tables of rows, selects of every
insats of the förbund) cost ~150 ms of CPU per page that way, the board seat form ~15 ms. Here
the same HTML is a few string joins: the same elements and attributes in the same order, the
same ids, labels, required marks, help texts, error messages and aria attributes, so browsers,
assistive technology and the tests see the same page. ``tests/test_organisation_form_html.py``
and ``tests/test_application_rendering.py`` compare the forms of the apps, bound and unbound,
valid and refused, with what the templates make.

- ``PythonRenderer``: the form renderer of every form and formset
  (``FORM_RENDERER`` in finsam/settings.py), which writes Django's input, select, textarea,
  checkbox and radio widgets in Python and leaves any other template to Django.
- ``field_html(bound_field)``: crispy-bootstrap5's field markup, what
  ``{{ field|as_crispy_field }}`` makes (``error_tag="span"``: as with a FormHelper).
- ``form_html(form)``: ``{{ form|crispy }}``; ``helper_form_html(form)``: ``{% crispy form %}``
  of a form whose FormHelper has no layout and no form tag (errors inline, then its buttons).
- ``formset_table(formset)``: the head and rows of a table of rows, a label per cell for
  assistive technology.
A field kind not written here (multi-widgets, wrapped widgets, a file input showing a stored
file) is left to crispy.
The template tags are in ``finsam/templatetags/finsam_forms.py``.
"""

import html

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, optgroups
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import slugify
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

ASTERISK = '<span class="asteriskField">*</span>'


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped unless it is safe (without
    django.utils.html.escape's lazy wrapper: this runs thousands of times on a big form)."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


def _shown(value) -> str:
    """``{{ value }}``: localised, then escaped unless it is safe."""
    if isinstance(value, Promise):  # a lazy translation (labels): its text, once
        value = str(value)
    if type(value) is str:  # the common case, without localize's checks
        return html.escape(value)
    return conditional_escape(localize(value))


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


# Django's widget templates (django/forms/widgets/*.html) written in Python, from the widget's
# context.


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{attrs_html(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{_shown(value) if value else ''}</textarea>"
    )


def _select(widget: dict) -> str:
    """select.html and select_option.html, without the line breaks and indentation between the
    options (they show nothing; a select of hundreds of options is shorter without them)."""
    parts = [f'<select name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{_shown(group_name)}">')
        parts.extend(
            f'<option value="{_text(option["value"])}"{attrs_html(option["attrs"])}>'
            f"{_shown(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return "".join(parts)


def _input_option(option: dict) -> str:
    """input_option.html: a radio button or checkbox of a list, in its label."""
    if not option["wrap_label"]:
        return _input(option)
    label_for = f' for="{_shown(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(option)} {_shown(option['label'])}</label>"


def _multiple_input(widget: dict) -> str:
    """multiple_input.html: radio buttons or checkboxes, one <div> each."""
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


_INPUTS = (
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
WIDGETS = {
    **{f"django/forms/widgets/{kind}.html": _input for kind in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/radio.html": _multiple_input,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
}


class PythonRenderer(DjangoTemplates):
    """Django's template renderer, except that the widget templates of ``WIDGETS`` are written
    in Python."""

    def render(self, template_name, context, request=None):
        write = WIDGETS.get(template_name)
        if write is None:
            return super().render(template_name, context, request=request)
        return write(context["widget"])


# crispy-bootstrap5's field.html with a form's default settings: labels and errors shown, help
# text after the errors; no label_class, field_class, wrapper_class or horizontal form.


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
    """field_errors_block.html (``tag`` "p") or field_errors.html ("span")."""
    errors = field.errors
    if not errors:
        return ""
    auto_id = _shown(field.auto_id)
    items = "".join(
        f'<{tag} id="error_{number}_{auto_id}"><strong>{_shown(error)}</strong></{tag}>'
        for number, error in enumerate(errors, 1)
    )
    return f'<div id="{_shown(errors.field_id)}_error" class="invalid-feedback">{items}</div>'


def _help(field) -> str:
    if not field.help_text:
        return ""
    ident = f'id="{_shown(field.auto_id)}_helptext" ' if field.auto_id else ""
    return f'<div {ident}class="form-text">{field.help_text}</div>'


def _label_text(field, required: bool) -> str:
    return f"{_shown(field.label)}{ASTERISK if required else ''}"


def _choices(field) -> str:
    """layout/radio_checkbox_select.html, without inline or field class: one form-check per
    option, the errors (always as <p>) in the last one, then the help text."""
    invalid = " is-invalid" if field.errors else ""
    name = _text(field.html_name)
    groups = list(optgroups(field))
    parts = ["<div >"]
    for group_number, (group, options, _index) in enumerate(groups, 1):
        if group:
            parts.append(f"<strong>{_shown(group)}</strong>")
        for number, option in enumerate(options, 1):
            last = number == len(options) and group_number == len(groups)
            parts.append(
                f'<div class="form-check"><input type="{_text(option["type"])}" '
                f'class="form-check-input{invalid}"  name="{name}" '
                f'value="{_text(option["value"])}" {attrs_html(option["attrs"])}>'
                f'<label for="{_shown(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{conditional_escape(option['label'])}</label>"
                f"{_errors(field, 'p') if last else ''}</div>"
            )
    parts.append("</div>")
    parts.append(_help(field))
    return "".join(parts)


def field_html(field, *, error_tag: str = "p") -> SafeString:
    """One field as crispy-bootstrap5's field.html writes it: ``{{ field|as_crispy_field }}``,
    or with ``error_tag="span"`` as ``{% crispy form %}`` with a FormHelper."""
    if field.is_hidden:
        return mark_safe(str(field))
    widget = field.field.widget
    if isinstance(widget, forms.MultiWidget) or hasattr(widget, "widget"):
        return as_crispy_field(field)
    file_input = _file_input(field, error_tag) if isinstance(widget, forms.FileInput) else ""
    if file_input is None:
        return as_crispy_field(field)
    css_classes = field.css_classes()
    css = f" {css_classes}" if css_classes else ""
    required = field.field.required
    errors = field.errors
    if isinstance(widget, forms.CheckboxInput):
        _widget_class(field, "form-check-input is-invalid" if errors else "form-check-input")
        return mark_safe(
            f'<div class="mb-3"><div id="div_{_shown(field.auto_id)}" class="form-check{css}">'
            f'{field}<label for="{_shown(field.id_for_label)}" class="form-check-label'
            f'{" requiredField" if required else ""}">{_label_text(field, required)}</label>'
            f"{_errors(field, error_tag)}{_help(field)}</div></div>"
        )
    parts = [f'<div id="div_{_shown(field.auto_id)}" class="mb-3{css}">']
    fieldset = field.use_fieldset and field.label
    if fieldset:
        described = field.aria_describedby
        parts.append(
            f'<fieldset aria-describedby="{_shown(described)}">' if described else "<fieldset>"
        )
    if field.label:
        tag = "legend" if field.use_fieldset else "label"
        target = f' for="{_shown(field.id_for_label)}"' if field.id_for_label else ""
        classes = "form-label" + (" requiredField" if required else "")
        classes += " fs-6" if field.use_fieldset else ""
        parts.append(f'<{tag}{target} class="{classes}">{_label_text(field, required)}</{tag}>')
    if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple, its subclass
        parts.append(_choices(field))
    elif file_input:
        parts.append(file_input)
    else:
        css_class = "form-select" if isinstance(widget, forms.Select) else "form-control"
        _widget_class(field, f"{css_class} is-invalid" if errors else css_class)
        parts.append(f"{field}{_errors(field, error_tag)}{_help(field)}")
    if fieldset:
        parts.append("</fieldset>")
    parts.append("</div>")
    return mark_safe("".join(parts))


def _file_input(field, error_tag: str) -> str | None:
    """layout/field_file.html of a file field with no file stored yet (the upload forms): the
    input with its errors and help text in a div; None for one showing a stored file, which is
    left to crispy."""
    invalid = " is-invalid" if field.errors else ""
    wrapper = '<div class="is-invalid">' if invalid else "<div>"
    disabled = " disabled" if field.field.disabled else ""
    parts = []
    for subwidget in field.subwidgets:
        data = subwidget.data
        if data.get("is_initial"):
            return None
        attrs = data["attrs"]
        extra = f" {_shown(attrs['class'])}" if attrs.get("class") else ""
        others = attrs_html({name: value for name, value in attrs.items() if name != "class"})
        parts.append(
            f'{wrapper}<input type="{_shown(data["type"])}" name="{_shown(data["name"])}" '
            f'class="form-control{extra}{invalid}"{disabled}{others}>'
            f"{_errors(field, error_tag)}{_help(field)}</div>"
        )
    return "".join(parts)


def _non_field_errors(form) -> str:
    errors = form.non_field_errors()
    if not errors:
        return ""
    items = "".join(f"<li>{_shown(error)}</li>" for error in errors)
    return f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>'


def form_html(form, *, error_tag: str = "p") -> SafeString:
    """``{{ form|crispy }}``: the form's errors not tied to a field, then every field."""
    fields = "".join(field_html(field, error_tag=error_tag) for field in form)
    return mark_safe(f"{_non_field_errors(form)}{fields}")


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


def helper_form_html(form) -> SafeString:
    """``{% crispy form %}`` for a form whose FormHelper has no layout and no form tag: errors
    inline as <span>, then the helper's buttons."""
    helper = form.helper
    if helper.layout is not None or helper.form_tag:
        raise ValueError("helper_form_html writes only forms without a layout or a form tag")
    return mark_safe(f"{form_html(form, error_tag='span')}{_inputs(helper)}")


def head_form(formset):
    """The form whose fields name a table's columns: the first row, which has the fields of
    every row; the empty form only for a table without rows, since building it is one more form
    with a copy of every field (issue #12)."""
    forms = formset.forms
    return forms[0] if forms else formset.empty_form


def formset_table(formset) -> SafeString:
    """The head and rows of a table of rows (``<thead>`` and ``<tbody>``; the management form
    and the ``<table>`` are the template's): per cell a label for assistive technology ("Belopp
    (kr), rad 2"), the widget and its errors, the row's hidden fields (its id) in its first
    cell; the errors of the row as a whole in a row under it."""
    heads = "".join(
        f'<th scope="col">{"Ta bort" if field.name == "DELETE" else _shown(field.label)}</th>'
        for field in head_form(formset).visible_fields()
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
