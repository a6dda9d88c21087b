"""Publishing, unpublishing and deleting from the admin, through the publication
services: "Publish selected" and "Unpublish selected" actions for publishers only,
with a confirmation page that offers a record's draft parts too; deletion from a
record's page or the list, refused when it would take a published record's last
visible citation away."""

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext, unquote
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from coe_kz import publication
from coe_kz.admin.utils import admin_url


def uncited_message(refused: publication.Uncited) -> str:
    return (
        "Every fact on the site cites a source, and these records would be on the site citing "
        f"none the public can see: {publication.named(refused.records)}. Publish their draft "
        "citations with them (tick “Also publish”), publish the sources those cite, or add a "
        "citation with its quote first."
    )


class PublishingMixin:
    """For HistoryAdmin: the publication actions and guarded deletion."""

    actions = ("publish_selected", "unpublish_selected")

    def has_publish_permission(self, request) -> bool:
        """Django shows an action with permissions=["publish"] only when this is true."""
        return publication.can_publish(request.user, self.model)

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish_selected(self, request, queryset):
        """Publish the records. When they have draft parts (steps, citations), a
        confirmation page first offers to publish those too: a record published
        without the citations an editor added with it would show unsupported."""
        records = list(queryset)
        parts = publication.draft_parts(records)
        if parts and request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": f"Publish {model_ngettext(self.opts, len(records))}",
                "opts": self.opts,
                "records": records,
                "parts": [(capfirst(part._meta.verbose_name), self.part_label(part)) for part in parts],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/coe_kz/publish_confirmation.html", context)
        with_parts = bool(parts) and request.POST.get("with_parts") == "yes"
        try:
            published, published_parts = publication.publish(
                records, user=request.user, with_parts=with_parts
            )
        except publication.Uncited as refused:
            self.message_user(request, f"Nothing was published. {uncited_message(refused)}", messages.ERROR)
            return None
        except publication.Refused as refused:
            self.message_user(request, f"Nothing was published. {refused.message}", messages.ERROR)
            return None
        message = f"Published {len(published)} {model_ngettext(self.opts, len(published))}"
        if with_parts:
            message += f" and {len(published_parts)} of their draft parts"
        self.message_user(request, message + ".", messages.SUCCESS)
        return None

    @admin.action(description="Unpublish selected %(verbose_name_plural)s", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        """Back to draft: off the public site (see publication.unpublish)."""
        try:
            count = len(publication.unpublish(list(queryset), user=request.user))
        except publication.Uncited as refused:
            self.message_user(request, f"Nothing was unpublished. {uncited_message(refused)}", messages.ERROR)
            return
        except publication.Refused as refused:
            self.message_user(request, f"Nothing was unpublished. {refused.message}", messages.ERROR)
            return
        self.message_user(
            request, f"Unpublished {count} {model_ngettext(self.opts, count)}.", messages.SUCCESS
        )

    def part_label(self, obj) -> str:
        part_admin = self.admin_site._registry.get(type(obj))
        return part_admin.history_label(obj) if part_admin else str(obj)

    # Deleting.

    def delete_model(self, request, obj):
        publication.delete([obj], user=request.user)

    def delete_queryset(self, request, queryset):
        publication.delete(list(queryset), user=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        """A citation that is a published record's last visible support is not deleted:
        the editor is told why, on the citation's page, before any confirmation."""
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and (lost := publication.support_lost_without([obj])):
            message = "Not deleted. " + publication.LOSES_SUPPORT.format(records=publication.named(lost))
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(admin_url(obj, "change", obj.pk))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            delete_selected, name, description = actions["delete_selected"]

            def checked_delete_selected(modeladmin, request, queryset):
                if lost := publication.support_lost_without(list(queryset)):
                    message = "Nothing was deleted. " + publication.LOSES_SUPPORT.format(
                        records=publication.named(lost)
                    )
                    modeladmin.message_user(request, message, messages.ERROR)
                    return None
                return delete_selected(modeladmin, request, queryset)

            actions["delete_selected"] = (checked_delete_selected, name, description)
        return actions
