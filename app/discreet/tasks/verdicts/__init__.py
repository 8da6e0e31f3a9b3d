"""Closed questions about studies answered yes, no or maybe, by a reader learned on
expert labels, with a confidence below which the sources don't settle it."""
