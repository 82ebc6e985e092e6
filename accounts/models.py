"""The accounts app's models, each in the module of the part it belongs to."""

from accounts.login_models import PasswordResetMail

__all__ = ["PasswordResetMail"]
