from django.urls import path

from bodies import views
from bodies.models import Body
from coe_kz.changes import RecordHistoryView

app_name = "bodies"

urlpatterns = [
    path("", views.BodyListView.as_view(), name="list"),
    path("<slug:pk>/", views.BodyDetailView.as_view(), name="detail"),
    path("<slug:pk>/history/", RecordHistoryView.as_view(model=Body), name="history"),
]
