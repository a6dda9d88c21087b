from django.urls import path

from coe_kz.changes import RecordHistoryView
from coe_kz.models import Source
from coe_kz.site import views

app_name = "sources"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="list"),
    path("<slug:pk>/", views.SourceDetailView.as_view(), name="detail"),
    path("<slug:pk>/history/", RecordHistoryView.as_view(model=Source), name="history"),
]
