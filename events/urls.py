from django.urls import path

from coe_kz.changes import RecordHistoryView
from coe_kz.listing import answering_bad_parameters
from events import views
from events.feeds import EventFeed
from events.models import Event

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("feed/", answering_bad_parameters(EventFeed()), name="feed"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("<int:pk>/history/", RecordHistoryView.as_view(model=Event), name="history"),
]
