"""The admin site: Django's, with one check added to every ModelAdmin registered on it
(ours, Django's users and groups, django-axes' logs). Made the default site in
coe_kz/apps.py (AdminConfig.default_site), so `admin.site` and `@admin.register` are it.

Outside the coe_kz.admin package on purpose: the site is built while the admin modules
import, and the package's own import registers models on `admin.site`."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import BadRequest, ValidationError


class CheckedSelectionMixin:
    """A bulk action's selection comes back from the browser as the ticked rows' keys.
    One that cannot be a key of the model (text, or a number past its column's range) is
    a tampered form: a 400, where Django would hand it to the query, which raises."""

    def response_action(self, request, queryset):
        key = self.opts.pk
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            try:
                key.run_validators(key.to_python(value))
            except ValidationError as error:
                raise BadRequest(f"The selection holds no {self.opts.verbose_name}'s key.") from error
        return super().response_action(request, queryset)


class EditorsAdminSite(admin.AdminSite):
    site_header = "coe-kz editors"
    site_title = "coe-kz admin"
    index_title = "Curated records"
    # No navigation sidebar: the index and the breadcrumbs lead everywhere, and at 1280 px
    # the sidebar took the width a list's last columns need (an event's citations, its
    # publication).
    enable_nav_sidebar = False

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CheckedSelectionMixin):
            admin_class = type(
                admin_class.__name__,
                (CheckedSelectionMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
