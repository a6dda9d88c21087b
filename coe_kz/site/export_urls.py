from django.urls import path

from coe_kz.site import export_views

app_name = "export"

urlpatterns = [
    path("", export_views.index, name="index"),
    path("coe-kz.zip", export_views.data_package, name="package"),
    path("<str:dataset>.csv", export_views.dataset_csv, name="csv"),
]
