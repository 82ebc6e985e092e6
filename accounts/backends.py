"""The backend that reads a session's user: Django's ModelBackend, which also logs in (behind
django-axes), except that the user of a session comes with every role they hold."""

from django.contrib.auth.backends import ModelBackend

from finsam.models import Role
from finsam.tenancy import in_name_order


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        """The user with their roles and each role's förbund in one query rather than two: every
        page of a logged-in user reads both (finsam.tenancy; issue #12). A user without a role
        is read as ModelBackend reads it, one query more; an inactive one is None, as there."""
        roles = in_name_order(
            Role.objects.filter(user_id=user_id).select_related("user", "association").order_by()
        )
        if not roles:
            user = super().get_user(user_id)
            if user is not None:
                user.roles_read = roles
            return user
        user = roles[0].user
        for role in roles:
            role.user = user
        # Read by CurrentAssociationMiddleware, the only reader; not `roles`, the related
        # manager of the user's Role rows.
        user.roles_read = roles
        return user if self.user_can_authenticate(user) else None
