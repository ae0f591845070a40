"""riskgate — early warning of and rapid response to import/export product quality-safety risks."""

__version__ = "0.1.0"
