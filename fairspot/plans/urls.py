from django.urls import path

from fairspot.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("district/", views.district, name="district"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/submit/", views.plan_submit, name="submit"),
    path("<int:pk>/review/", views.plan_review, name="review"),
    path("<int:pk>/publish/", views.plan_publish, name="publish"),
    path("<int:pk>/adjust/", views.plan_adjust, name="adjust"),
    path("<int:pk>/versions/<int:version>/", views.plan_version, name="version"),
    path("batches/<int:pk>/tasks/", views.batch_tasks, name="batch_tasks"),
    path("items/<int:pk>/class-ratios/", views.item_class_ratios, name="item_class_ratios"),
]
