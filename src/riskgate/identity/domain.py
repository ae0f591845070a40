"""The identity domain's contributions (listed by the composition root, riskgate.composition).

Organisations, users, roles, sessions and API tokens, and the data scope.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="identity",
    models=("riskgate.identity.models", "riskgate.identity.exchange.models"),
    api=("riskgate.identity.api", "riskgate.identity.exchange.api"),
    pages=(
        "riskgate.identity.pages.sign_in",
        "riskgate.identity.pages.account",
        "riskgate.identity.pages.organisations",
        "riskgate.identity.pages.users",
        "riskgate.identity.exchange.pages",
    ),
    demo=("riskgate.identity.demo:load_identity_demo",
          "riskgate.identity.exchange.demo:load_exchange_demo"),
    audit_labels=("riskgate.identity.enums:AUDIT_LABELS",
                  "riskgate.identity.exchange.enums:AUDIT_LABELS"),
)
