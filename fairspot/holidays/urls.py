from django.urls import path

from fairspot.holidays import views

app_name = "holidays"
urlpatterns = [
    path("", views.day_list, name="list"),
    path("new/", views.day_edit, name="create"),
    path("<int:pk>/edit/", views.day_edit, name="edit"),
    path("<int:pk>/delete/", views.day_delete, name="delete"),
    path("years/", views.year_add, name="year_add"),
    path("years/<int:pk>/delete/", views.year_remove, name="year_remove"),
]
