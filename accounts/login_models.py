"""What the login keeps in the database beyond django-axes' attempts and django-otp's devices."""

from django.db import models


class PasswordResetMail(models.Model):
    """One password-reset mail sent to an address: the bound on such mails per address and hour
    (accounts/login_services.py) counts these rows, in the database because the application
    runs on several machines. Rows older than the hour are removed when the address asks
    again."""

    email = models.EmailField("e-postadress", db_index=True)
    sent_at = models.DateTimeField("skickat", auto_now_add=True)

    class Meta:
        app_label = "accounts"
        verbose_name = "mejl om nytt lösenord"
        verbose_name_plural = "mejl om nytt lösenord"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.email} {self.sent_at:%Y-%m-%d %H:%M}"
