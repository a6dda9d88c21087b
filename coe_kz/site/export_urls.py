from django.urls import path

from coe_kz.site import export_views

app_name = "export"

# The files only, at one address in English: their columns and codes are a contract. The
# page describing them, /export/, is the site's ("site:export"), in every language.
urlpatterns = [
    path("coe-kz.zip", export_views.data_package, name="package"),
    path("<str:dataset>.csv", export_views.dataset_csv, name="csv"),
]
