"""What every app shares and nothing app-specific: not a Django app, no models.

Disclosure control (small-number and complementary suppression), lifecycle
transitions, SVG charts with data tables and map building live here, once. Apps import
from ``core``; ``core`` imports from no app.
"""
