"""Who holds which role in a förbund: inviting a person, changing and removing a role. One
function each, keyword-only, atomic and recorded in the history with the officer who did it.

The invitation is the one way a role is given in the app: the users page gives the förbund's
roles with it, and the insats page (followup.services.initiative_lead_add) the insatsansvarig's.
A person without an account gets one without a password and an e-mail with a link to choose it
(Django's password reset token, valid PASSWORD_RESET_TIMEOUT seconds and used up when the
password is set); a person with an account gets the role and an e-mail saying so. The e-mail
goes when the change is saved, never for a change that was refused or rolled back.

Every change locks the förbund's row first, so that the förbund's role changes happen one
after the other (see ``_lock``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from finsam.errors import DomainError
from finsam.models import Association, Role, User

ACCOUNT_INACTIVE = "Kontot {email} är avstängt; det kan inte få behörighet."
ROLE_HELD = (
    "{email} har redan rollen {role} i förbundet; en person har en roll per förbund. "
    "Ändra rollen i listan i stället."
)
UNKNOWN_KIND = "”{kind}” är ingen roll i Finsam."
SAME_KIND = "{person} har redan rollen {role}."
LEAD_FROM_INITIATIVE = (
    "Insatsansvarig blir man från insatsens sida, där insatsen väljs (Insatser → insatsen → "
    "Insatsansvariga)."
)
LAST_OFFICER = (
    "{person} är förbundets enda tjänsteman (kansli), och förbundet måste ha minst en. "
    "Ge först någon annan rollen tjänsteman (kansli)."
)
ROLE_GONE = "Behörigheten finns inte längre; någon annan har tagit bort den."
PASSWORD_ALREADY_SET = (
    "{person} har redan valt ett lösenord och kan logga in. Har hen glömt det finns "
    "”Glömt lösenordet?” på inloggningssidan."
)

INVITATION_SUBJECT = "Du har fått behörighet i Finsam för {association}"
INVITATION_TEMPLATE = "accounts/emails/role_invitation.txt"


class AccountsError(DomainError):
    """A change of who holds which role that the rules refuse."""


class RoleHeld(AccountsError):
    """The person already holds a role in the förbund (one role per förbund). ``role`` is that
    role, for a caller that words the refusal for its own page."""

    def __init__(self, role: Role):
        self.role = role
        super().__init__(
            ROLE_HELD.format(email=role.user.email, role=role.get_kind_display().lower())
        )


@dataclass(frozen=True)
class InvitationMail:
    """The e-mail of an invitation made elsewhere (the insatsansvarig's names the insats). Its
    template gets ``context`` and, from the service: person, association, role, base_url,
    login_path, start_path, valid_days, and set_password_path when the person has no password
    yet."""

    subject: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


def _lock(association: Association) -> None:
    # Two officers changing roles at once, say each taking the other's officer role away, would
    # each count two officers and together leave none: the förbund's row makes them take turns.
    # Two invitations of the same person wait here too, and the second finds the first's role.
    Association.objects.select_for_update().filter(pk=association.pk).first()


def _valid_kind(kind: str) -> Role.Kind:
    if kind not in Role.Kind.values:
        raise AccountsError(UNKNOWN_KIND.format(kind=kind))
    return Role.Kind(kind)


def _account_for(*, email: str, first_name: str, last_name: str) -> User:
    """The active account with ``email``, created without a password if there is none."""
    person = User.objects.select_for_update().filter(email__iexact=email).first()
    if person is None:
        person = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
        person.set_unusable_password()
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            # Created meanwhile by an invitation to another förbund (whose lock is not ours).
            person = User.objects.select_for_update().get(email__iexact=email)
    if not person.is_active:
        raise AccountsError(ACCOUNT_INACTIVE.format(email=email))
    return person


def role_invite(
    *,
    user: User | None,
    association: Association,
    email: str,
    kind: str,
    base_url: str,
    first_name: str = "",
    last_name: str = "",
    mail: InvitationMail | None = None,
    keep_same_role: bool = False,
) -> Role:
    """Gives the person with ``email`` the role ``kind`` in ``association``: finds their
    account, or creates one without a password, and e-mails them when the change is saved: a
    link to choose a password if they have none, else a link to log in.

    A person who holds a role in the förbund already is refused (``RoleHeld``), unless
    ``keep_same_role`` and it is the role ``kind``: then the role stays as it is and the e-mail
    goes again (an insatsansvarig given one more insats). ``mail`` replaces the users page's
    e-mail. ``base_url`` is the site's address, for the links."""
    kind = _valid_kind(kind)
    email = User.objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        _lock(association)
        person = _account_for(email=email, first_name=first_name, last_name=last_name)
        role = (
            Role.objects.select_related("user").filter(user=person, association=association).first()
        )
        if role is None:
            role = Role(user=person, association=association, kind=kind)
            role._history_user = user
            role.save()
        elif not (keep_same_role and role.kind == kind):
            raise RoleHeld(role)
        message = invitation_message(role=role, base_url=base_url, mail=mail)
        transaction.on_commit(message.send)
    return role


def invitation_valid_days() -> int:
    """How many days a link to choose a password works (PASSWORD_RESET_TIMEOUT)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def invitation_message(
    *, role: Role, base_url: str, mail: InvitationMail | None = None
) -> EmailMessage:
    """The e-mail that tells ``role``'s person about it, with a new link to choose a password
    while they have none."""
    person = role.user
    mail = mail or InvitationMail(
        subject=INVITATION_SUBJECT.format(association=role.association),
        template=INVITATION_TEMPLATE,
    )
    context = {
        **mail.context,
        "person": person,
        "association": role.association,
        "role": role,
        "base_url": base_url.rstrip("/"),
        "login_path": reverse("login"),
        "start_path": reverse("start"),
        "valid_days": invitation_valid_days(),
    }
    if not person.has_usable_password():
        context["set_password_path"] = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
                "token": default_token_generator.make_token(person),
            },
        )
    return EmailMessage(
        subject=mail.subject, body=render_to_string(mail.template, context), to=[person.email]
    )


def invitation_resend(*, user: User, role: Role, base_url: str) -> Role:
    """Sends ``role``'s person a new link to choose a password (the first one has expired or
    was lost). Refused once they have chosen one: the login page's ”Glömt lösenordet?” is
    theirs then."""
    with transaction.atomic():
        role = _locked(role)
        if role.user.has_usable_password():
            raise AccountsError(PASSWORD_ALREADY_SET.format(person=_name(role.user)))
        transaction.on_commit(invitation_message(role=role, base_url=base_url).send)
    return role


def _name(person: User) -> str:
    return person.get_full_name() or person.email


def _locked(role: Role) -> Role:
    """``role`` read again under the förbund's lock; refused if it was removed meanwhile."""
    _lock(role.association)
    current = Role.objects.select_related("user", "association").filter(pk=role.pk).first()
    if current is None:
        raise AccountsError(ROLE_GONE)
    return current


def _refuse_last_officer(role: Role) -> None:
    if role.kind != Role.Kind.OFFICER:
        return
    officers = Role.objects.filter(association=role.association_id, kind=Role.Kind.OFFICER)
    if not officers.exclude(pk=role.pk).exists():
        raise AccountsError(LAST_OFFICER.format(person=_name(role.user)))


def _leads_end(*, user: User, role: Role) -> None:
    """Ends the insatser a lead role names (followup.InitiativeLead, reached through the
    role's ``initiative_leads``: accounts does not import the follow-up, which imports it), each
    recorded in the history with ``user``."""
    for lead in role.initiative_leads.all():
        lead._history_user = user
        lead.delete()


def role_change(*, user: User, role: Role, kind: str) -> Role:
    """Gives ``role``'s person the role ``kind`` instead. The förbund's last officer keeps the
    officer role; an insatsansvarig who gets another role is no longer one for any insats."""
    kind = _valid_kind(kind)
    with transaction.atomic():
        role = _locked(role)
        if kind == role.kind:
            raise AccountsError(
                SAME_KIND.format(person=_name(role.user), role=role.get_kind_display().lower())
            )
        if kind == Role.Kind.LEAD:
            raise AccountsError(LEAD_FROM_INITIATIVE)
        _refuse_last_officer(role)
        if role.kind == Role.Kind.LEAD:
            _leads_end(user=user, role=role)
        role.kind = kind
        role._history_user = user
        role.save(update_fields=["kind"])
    return role


def role_remove(*, user: User, role: Role) -> None:
    """Takes ``role`` away: its person no longer reaches the förbund (their account stays, for
    their roles elsewhere and the history). The förbund's last officer stays."""
    with transaction.atomic():
        role = _locked(role)
        _refuse_last_officer(role)
        _leads_end(user=user, role=role)
        role._history_user = user
        role.delete()
