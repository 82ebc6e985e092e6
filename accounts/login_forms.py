"""Forms of the login's steps. The first step's form is finsam.forms.LoginForm."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm

from accounts.login_services import password_reset_mail_reserve


class CodeForm(forms.Form):
    """The second step: the app's code, or a recovery code."""

    code = forms.CharField(
        label="Kod",
        max_length=20,
        strip=True,
        help_text="Sex siffror från appen, eller en av dina reservkoder.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class EnrolForm(forms.Form):
    """Confirms a newly connected app with the code it shows."""

    code = forms.CharField(
        label="Kod från appen",
        max_length=20,
        strip=True,
        help_text="De sex siffror som appen visar för Finsam just nu.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class BoundedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most FINSAM_PASSWORD_RESET_MAILS_PER_HOUR mails to one
    address an hour (login_services.password_reset_mail_reserve). The page that follows is the
    same whether a mail went out or not, and whether the address has an account."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        if password_reset_mail_reserve(email=to_email):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
