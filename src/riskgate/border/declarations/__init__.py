"""Customs declarations (报关单) screened one by one (API), in batches or files: each line's
lane and reasons, replay, and the pages of the port officer."""
