from django.urls import path

from coe_kz.changes import RecordHistoryView
from events import views
from events.models import Person

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("<slug:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<slug:pk>/history/", RecordHistoryView.as_view(model=Person), name="history"),
]
