"""Changes the login makes outside django-axes and django-otp."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.login_models import PasswordResetMail
from finsam.models import User

RESET_MAIL_WINDOW = datetime.timedelta(hours=1)


def password_reset_mail_reserve(*, email: str) -> bool:
    """Takes one of the address's password-reset mails of the hour: True if the mail may go out
    (and it is counted), False once FINSAM_PASSWORD_RESET_MAILS_PER_HOUR have gone out in the
    last hour. Called only for addresses that belong to an active account; the person asking
    gets the same answer either way."""
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        # Requests for one address on several machines at once would each count the same rows
        # and all send: the account's row lock makes them count one after the other.
        User.objects.select_for_update().filter(email__iexact=email).first()
        sent = PasswordResetMail.objects.filter(email=email)
        sent.filter(sent_at__lte=now - RESET_MAIL_WINDOW).delete()
        if sent.count() >= settings.FINSAM_PASSWORD_RESET_MAILS_PER_HOUR:
            return False
        PasswordResetMail.objects.create(email=email)
    return True
