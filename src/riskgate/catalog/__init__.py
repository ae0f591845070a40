"""Reference catalogue: HS codes, countries, hazards, channels, measures, warning levels, regions.

Packaged data files plus pure, cached loaders. The public functions are gathered in
`riskgate.catalog.reference`; the closed vocabularies (StrEnums) in `riskgate.catalog.enums`.
"""
