from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who may log in and with what: the users and roles of a förbund, invitations, the login
    itself with its throttling and second factor. The accounts and roles are finsam's models."""

    name = "accounts"
    verbose_name = "Konton"
