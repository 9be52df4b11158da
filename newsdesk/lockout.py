"""Login lockouts with two thresholds: one account from one address, and one address.

django-axes compares a single failure count with `AXES_FAILURE_LIMIT`; this
handler gives the address its own, higher threshold
(`NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT`), so a newsroom behind one NAT address
is not locked out by one person's typos while an address guessing many
usernames is still stopped.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class LoginLockoutHandler(AxesDatabaseHandler):
    """`AXES_LOCKOUT_PARAMETERS` are [username + address, address], in that order."""

    def get_failures(
        self, request: HttpRequest, credentials: dict | None = None
    ) -> int:
        account, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # The address's count on the account's scale: it reaches the one limit
        # axes checks exactly when it reaches the address's own threshold.
        limit = get_failure_limit(request, credentials)
        return max(
            account, address * limit // settings.NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT
        )

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict | None = None
    ) -> int:
        """A success clears that account's failures from that address only.

        Otherwise one valid account would wipe an address's guesses at others.
        """
        account = self.filter_user_attempts(request, credentials)[0]
        count, _ = account.delete()
        return count
