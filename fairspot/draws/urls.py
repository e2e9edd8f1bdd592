from django.urls import path

from fairspot.draws import rematch_views, replacement_views, views

app_name = "draws"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("<str:draw_id>/", views.draw_detail, name="draw"),
    path("<str:draw_id>/sources/", views.source_enter, name="source_enter"),
    path("<str:draw_id>/reveal/", views.draw_reveal, name="reveal"),
    path("<str:draw_id>/replace/", views.draw_replace, name="replace"),
    path(
        "<str:draw_id>/teams/<int:team_pk>/replace-officer/",
        replacement_views.team_replace_officer,
        name="replace_officer",
    ),
    path("<str:draw_id>/rematch/", rematch_views.rematch_commit, name="rematch"),
    path(
        "<str:draw_id>/rematch/<int:number>/sources/",
        rematch_views.rematch_source_enter,
        name="rematch_source_enter",
    ),
    path("<str:draw_id>/rematch/<int:number>/reveal/", rematch_views.rematch_reveal, name="rematch_reveal"),
    path("<str:draw_id>/bundle.zip", views.draw_bundle, name="bundle"),
    path("<str:draw_id>/verify/", views.draw_verify, name="verify"),
]
