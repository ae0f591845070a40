"""Border control (口岸布控, U3): control rules derived from warnings or written by hand, enterprise
credit grades and country/commodity risk, declarations screened into red/yellow/green/blue lanes
with their reasons, and inspection results fed back as risk records."""
