from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader sits above every app (it calls each app's demo data)."""

    name = "demo"
