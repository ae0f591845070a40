"""Border control (口岸布控, U3): control rules (`rules`, derived from warnings or written by
hand), risk profiles (`profiles`), the screening engine (`screening`, pure), declarations screened
into lanes (`declarations`) and inspection results (`inspection`)."""
