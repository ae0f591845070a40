"""Tracking and evaluation of warnings (W3): the way from the first record to publication and
after, and the performance of each issuing organisation."""
