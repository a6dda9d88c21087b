from django.urls import path

from coe_kz import views
from coe_kz.changelog import RecordHistoryView
from coe_kz.models import Source

app_name = "sources"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="list"),
    path("<slug:pk>/", views.SourceDetailView.as_view(), name="detail"),
    path("<slug:pk>/history/", RecordHistoryView.as_view(model=Source), name="history"),
]
