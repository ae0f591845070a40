"""Statistical aberration detection for weekly count series (pure functions over numpy arrays).

Re-implementations of the outbreak-detection algorithms of the R package ``surveillance``
(version 1.20.3 as reference): EARS C1/C2/C3, CUSUM, Farrington (1996), the flexible
Farrington / Noufaily (2013) method, RKI, Bayes and the Poisson GLR chart.  Every function takes
a 1-d array of counts (NaN = missing week) and 0-based positions to evaluate, and returns a
frozen :class:`DetectionResult`.  See ``docs/detection.md`` for the differences from R.
"""

from ._base import DetectionInputError, DetectionResult, Reason
from .cusum import CUSUM_TRANSFORMS, cusum, cusum_many
from .ears import ears_c, ears_c_many
from .farrington import POWER_TRANSFORMS, farrington
from .farrington_flexible import FLEXIBLE_PRESETS, farrington_flexible, farrington_flexible_many
from .glr import glr_poisson
from .rki_bayes import bayes, rki

__all__ = [
    "CUSUM_TRANSFORMS",
    "DetectionInputError",
    "DetectionResult",
    "FLEXIBLE_PRESETS",
    "POWER_TRANSFORMS",
    "Reason",
    "bayes",
    "cusum",
    "cusum_many",
    "ears_c",
    "ears_c_many",
    "farrington",
    "farrington_flexible",
    "farrington_flexible_many",
    "glr_poisson",
    "rki",
]
