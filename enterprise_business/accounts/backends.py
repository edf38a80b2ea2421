"""The authentication backend of the portal's accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal.core.prepared import Prepared

# The account with its enterprise registration (None for staff), compiled once per worker.
ACCOUNT = Prepared(lambda pk: get_user_model()._default_manager.select_related("enterprise").filter(pk=pk), int)


class AccountBackend(ModelBackend):
    """Django's ModelBackend whose `get_user` — run on every logged-in request — loads the
    account with its enterprise registration (None for staff) in one query: every page of an
    enterprise reads it (`enterprise_required`, the top bar's `portal_name`), which was a
    second query on each (issue 21). That query's SQL is compiled once per worker
    (`portal.core.prepared`): compiling it was most of a logged-in request's own cost.
    Passwords, permissions and `is_active` as ModelBackend."""

    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):  # not a key this backend stored in a session
            return None
        user = ACCOUNT.first(pk)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        users = get_user_model()._default_manager.select_related("enterprise")
        try:
            user = await users.aget(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
