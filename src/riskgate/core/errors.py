"""Domain errors. Services raise these; one handler renders them as RFC 9457 problem+json
(API) or a flash message (pages), in the user's language.

Each error has a stable `type` slug (its URI is /problems/<slug>) and a message id that the
i18n catalogs translate; `params` fill the message's {placeholders}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskgate.core.i18n import N_, gettext


def translate(message: str, language: str, params: dict[str, Any]) -> str:
    """Translate a msgid and fill its placeholders; string parameters are msgids too.

    Parameters that are not in the catalog come back unchanged, so user data is safe to pass.
    A template whose placeholders do not match its parameters falls back to the bare message
    rather than failing while an error is being reported.
    """

    values = {k: (gettext(v, language) if isinstance(v, str) else v) for k, v in params.items()}
    try:
        return gettext(message, language, **values)
    except (KeyError, IndexError, ValueError):
        return gettext(message, language)


@dataclass
class FieldProblem:
    """One invalid input field: where it is (JSON pointer-ish path) and what is wrong."""

    loc: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def translated(self, language: str) -> str:
        return translate(self.message, language, self.params)


class DomainError(Exception):
    status: int = 400
    type_slug: str = "bad-request"
    title: str = "Bad request"
    message: str = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        fields: list[FieldProblem] | None = None,
        **params: Any,
    ) -> None:
        self.message = message or self.message
        self.params = params
        self.fields = fields or []
        super().__init__(self.message.format(**params) if params else self.message)

    def translated(self, language: str) -> str:
        """The message in `language` (zh-CN or en)."""
        return translate(self.message, language, self.params)


class NotFound(DomainError):
    """Also used for records outside the actor's data scope: their existence is not disclosed."""

    status = 404
    type_slug = "not-found"
    title = N_("Not found")
    message = N_("The {object} was not found.")

    def __init__(self, object: str = "object", **params: Any) -> None:  # noqa: A002
        super().__init__(object=object, **params)


class AuthenticationRequired(DomainError):
    status = 401
    type_slug = "authentication-required"
    title = N_("Authentication required")
    message = N_("Sign in or send a valid API token.")


class PermissionDenied(DomainError):
    status = 403
    type_slug = "permission-denied"
    title = N_("Permission denied")
    message = N_("Your role does not grant the permission {permission}.")


class ValidationFailed(DomainError):
    status = 422
    type_slug = "validation-failed"
    title = N_("Validation failed")
    message = N_("Some fields are invalid; see the field errors.")


class Conflict(DomainError):
    status = 409
    type_slug = "conflict"
    title = N_("Conflict")
    message = N_("The request conflicts with the current state.")


class InvalidTransition(Conflict):
    type_slug = "invalid-transition"
    title = N_("Invalid transition")
    message = N_("A {object} cannot go from {current} to {target}.")


class RateLimited(DomainError):
    status = 429
    type_slug = "rate-limited"
    title = N_("Too many requests")
    message = N_("Too many requests; try again in {seconds} seconds.")


class PayloadTooLarge(DomainError):
    status = 413
    type_slug = "payload-too-large"
    title = N_("Payload too large")
    message = N_("The request body is larger than the limit of {limit} bytes.")


class AccountLocked(DomainError):
    status = 423
    type_slug = "account-locked"
    title = N_("Account locked")
    message = N_("Too many failed sign-ins; the account is locked until {until}.")
