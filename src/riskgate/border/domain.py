"""The border domain's contributions (listed by the composition root, riskgate.composition).

Border control: control rules, risk profiles, declaration screening and inspection.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="border",
    models=("riskgate.border.models",),
    api=("riskgate.border.decl_api", "riskgate.border.rules_api",),
    pages=("riskgate.border.decl_pages", "riskgate.border.rules_pages",),
    large_bodies=("/api/v1/border/declarations/batch", "/api/v1/border/declarations/file",),
    demo=(
        # credit grades, risk scores and rules before the declarations they screen
        "riskgate.border.rules_demo:load_rules_demo",
        "riskgate.border.decl_demo:load_declarations_demo",
    ),
)
