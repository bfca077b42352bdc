from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: its synthetic staff, members and survey answers, and the loader.

    The top layer: it may import every app, and no app imports it, so production code
    carries no demo data code.
    """

    name = "demo"
