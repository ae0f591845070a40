"""The catalog domain's contributions (listed by the composition root, riskgate.composition).

The reference catalogue (HS codes, countries, hazards, channels, measures, regions, ports).
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="catalog",
    api=("riskgate.catalog.api",),
    pages=("riskgate.catalog.pages",),
    warm_up=("riskgate.catalog.reference:warm_up",),
    template_globals=("riskgate.catalog.codes:TEMPLATE_GLOBALS",),
)
