"""Engagement events (booked, then their outcome recorded) and street contact records.

Officers book an event at a place (a point in a ward), record what happened at it, and
record contacts with people met in the street. Supervisors and analysts read them as
dashboards (``targeting.insight.engagement``), counts of people through
``core.disclosure``.
"""
