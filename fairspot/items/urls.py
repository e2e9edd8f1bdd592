from django.urls import path

from fairspot.items import views

app_name = "items"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_edit, name="create"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
]
