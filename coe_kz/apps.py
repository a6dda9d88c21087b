from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoeKzConfig(AppConfig):
    name = "coe_kz"
    verbose_name = "Sources"

    def ready(self):
        from coe_kz import cache, dates  # noqa: F401  (connect the version and date-bounds signals)


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site's own AdminSite (coe_kz.admin_site) as `admin.site`."""

    default = False  # named in INSTALLED_APPS; CoeKzConfig stays coe_kz's own
    default_site = "coe_kz.admin_site.EditorsAdminSite"
