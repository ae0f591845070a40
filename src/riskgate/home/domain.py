"""The home domain's contributions (listed by the composition root, riskgate.composition).

The portal's and the console's home pages.
"""

from riskgate.core.domain import Domain

DOMAIN = Domain(
    name="home",
    pages=("riskgate.home.pages",),
)
