"""Recalls (召回, R3): recalls started by the enterprise, ordered by a regulator or imported from a
foreign authority, with the enterprise's progress reports, completion rate and effect evaluation."""
