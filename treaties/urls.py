from django.urls import path

from coe_kz.changes import RecordHistoryView
from treaties import views
from treaties.models import Treaty

app_name = "treaties"

urlpatterns = [
    path("", views.TreatyListView.as_view(), name="list"),
    path("<int:pk>/", views.TreatyDetailView.as_view(), name="detail"),
    path("<int:pk>/history/", RecordHistoryView.as_view(model=Treaty), name="history"),
]
