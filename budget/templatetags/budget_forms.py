"""Budget and plan forms as plain HTML, written here in Python instead of through crispy-forms'
and Django's per-widget templates (issue #12: the chart's formset rendered ~90 widget templates,
each select one more template per option; the actuals grid ~500 inputs).

The markup is crispy's Bootstrap 5 markup, so the pages look and read the same: the same ids,
labels, required marks, help texts and error messages, tied to their input with
aria-describedby, and the input marked aria-invalid when it has an error."""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attrs(attrs: dict) -> str:
    """Django's attrs.html: ` name="value"`, a bare ` name` for True, nothing for False/None."""
    out = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{conditional_escape(value)}"')
    return "".join(out)


def widget_html(widget: forms.Widget, name: str, value, attrs: dict) -> SafeString:
    """The widget as Django's own templates write it (input, textarea, select), from its
    context; any other widget through its templates."""
    context = widget.get_context(name, value, attrs)["widget"]
    template_name = context["template_name"]
    shown = _attrs(context["attrs"])
    if "optgroups" in context and template_name.endswith("/select.html"):
        options = []
        for group_name, group, _index in context["optgroups"]:
            if group_name:
                options.append(f'<optgroup label="{conditional_escape(group_name)}">')
            for option in group:
                options.append(
                    f'<option value="{conditional_escape(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                )
            if group_name:
                options.append("</optgroup>")
        return mark_safe(
            f'<select name="{conditional_escape(name)}"{shown}>{"".join(options)}</select>'
        )
    if template_name.endswith("/textarea.html"):
        text = "" if context["value"] is None else conditional_escape(context["value"])
        return mark_safe(f'<textarea name="{conditional_escape(name)}"{shown}>\n{text}</textarea>')
    if template_name.endswith(("/input.html", "/text.html", "/date.html", "/number.html")) or (
        template_name.endswith(
            ("/checkbox.html", "/file.html", "/email.html", "/url.html", "/hidden.html")
        )
    ):
        value_attr = ""
        if context["value"] is not None:
            value_attr = f' value="{conditional_escape(str(context["value"]))}"'
        kind, name = conditional_escape(context["type"]), conditional_escape(name)
        return mark_safe(f'<input type="{kind}" name="{name}"{value_attr}{shown}>')
    return widget.render(name, value, attrs)  # any other widget, as Django renders it


def _css(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def bound_widget(field: BoundField, *, extra_class: str = "", describedby: str = "") -> str:
    """The bound field's widget with the classes and aria attributes crispy gives it."""
    widget = field.field.widget
    attrs = dict(widget.attrs)
    css = attrs.get("class") or _css(widget)
    classes = [css] + ([extra_class] if extra_class else [])
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
    attrs["class"] = " ".join(classes)
    if (
        field.field.required
        and field.form.use_required_attribute
        and widget.use_required_attribute(field.initial)
    ):
        attrs["required"] = True
    if field.field.disabled:
        attrs["disabled"] = True
    if describedby:
        attrs["aria-describedby"] = describedby
    if field.auto_id and "id" not in widget.attrs:
        attrs["id"] = field.auto_id
    value = field.value()
    html_name = field.html_name
    return widget_html(widget, html_name, value, attrs)


def _errors(field: BoundField) -> str:
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.auto_id,
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
        ),
    )


def field_html(field: BoundField) -> SafeString:
    """One field in crispy's Bootstrap 5 layout: label (with * when required), widget, errors,
    help text."""
    if field.is_hidden:
        return mark_safe(str(field))
    help_id = f"{field.auto_id}_helptext" if field.help_text else ""
    error_id = f"{field.auto_id}_error" if field.errors else ""
    describedby = " ".join(part for part in (help_id, error_id) if part)
    widget = bound_widget(field, describedby=describedby)
    errors = _errors(field) if field.errors else ""
    help_text = (
        format_html('<div id="{}" class="form-text">{}</div>', help_id, field.help_text)
        if field.help_text
        else ""
    )
    if isinstance(field.field.widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}{}</div></div>',
            field.auto_id,
            widget,
            field.auto_id,
            field.label,
            errors,
            help_text,
        )
    required = field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>'
        "{}{}{}</div>",
        field.auto_id,
        field.auto_id,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        widget,
        errors,
        help_text,
    )


@register.filter
def plain_form(form: forms.Form) -> SafeString:
    """The whole form as crispy's ``{{ form|crispy }}`` writes it: its errors that belong to
    no field, then each field."""
    parts = []
    if form.non_field_errors():
        parts.append(
            format_html(
                '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                format_html_join("", "<li>{}</li>", ((e,) for e in form.non_field_errors())),
            )
        )
    parts.extend(field_html(form[name]) for name in form.fields)
    return mark_safe("".join(parts))


@register.filter
def plain_widget(field: BoundField) -> SafeString:
    """A formset cell's input: its widget as the formset set it up, marked when invalid and tied
    to its error message."""
    describedby = f"{field.auto_id}-error" if field.errors else ""
    return bound_widget(field, describedby=describedby)


@register.filter
def formset_rows(formset) -> SafeString:
    """A formset's rows as table rows (the chart, the guideline): one cell per visible field,
    its error under it and tied to it, "Ta bort" labelled, the hidden fields (the row's id) in
    the row. Written here in one pass: the template's loops cost more than the inputs."""
    rows = []
    for form in formset:
        cells = []
        for field in form.visible_fields():
            widget = plain_widget(field)
            if field.name == "DELETE":
                widget = format_html(
                    '<div class="form-check">{}<label class="form-check-label" for="{}">'
                    "Ta bort</label></div>",
                    widget,
                    field.id_for_label,
                )
            errors = ""
            if field.errors:
                errors = format_html(
                    '<div class="invalid-feedback d-block" id="{}-error">{}</div>',
                    field.auto_id,
                    " ".join(field.errors),
                )
            cells.append(f"<td>{widget}{errors}</td>")
        hidden = "".join(
            widget_html(field.field.widget, field.html_name, field.value(), {"id": field.auto_id})
            for field in form.hidden_fields()
        )
        rows.append(f"<tr>{''.join(cells)}{hidden}</tr>")
    return mark_safe("\n".join(rows))


@register.filter
def hidden_inputs(form: forms.Form) -> SafeString:
    """A form of hidden fields only (a formset's management form), as Django writes them."""
    return mark_safe(
        "".join(
            widget_html(field.field.widget, field.html_name, field.value(), {"id": field.auto_id})
            for field in form
        )
    )
