from django.apps import AppConfig


class CoeKzConfig(AppConfig):
    name = "coe_kz"
    verbose_name = "Sources"

    def ready(self):
        from coe_kz import dates  # noqa: F401  (connects the date-bounds signal)
