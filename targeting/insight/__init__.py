"""Insight for supervisors, analysts and officers: who is and is not being heard
(representativeness), confidence against safety and crime, household coverage over
time, and dashboards of engagement events and street contacts.

Reads only: every function takes the requesting user (or areas already scoped through
``accounts.permissions``) and every figure about people goes through ``core.disclosure``.
The arithmetic is in :mod:`.stats`, apart from the database, so tests work it by hand.
"""
