"""The border domain's contributions (listed by the composition root, riskgate.composition).

Border control: control rules and their derivation from warnings, risk profiles, declaration
screening (the pure engine in `screening`) and inspection.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="border",
    models=("riskgate.border.models",),
    api=(
        "riskgate.border.rules.api",
        "riskgate.border.profiles.api",
        "riskgate.border.declarations.api",
        "riskgate.border.inspection.api",
    ),
    pages=(
        "riskgate.border.rules.pages",
        "riskgate.border.profiles.pages",
        "riskgate.border.declarations.pages",
        "riskgate.border.inspection.pages",
    ),
    large_bodies=("/api/v1/border/declarations/batch", "/api/v1/border/declarations/file",),
    demo=(
        # credit grades, risk scores and rules before the declarations they screen
        "riskgate.border.profiles.demo:load_profiles_demo",
        "riskgate.border.rules.demo:load_rules_demo",
        "riskgate.border.declarations.demo:load_declarations_demo",
    ),
    audit_labels=("riskgate.border.enums:AUDIT_LABELS",),
)
