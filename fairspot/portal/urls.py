"""Public pages under /public/. Path parts are bounded so absurd paths are 404s, never errors."""

from django.urls import path, re_path

from fairspot.portal import check_views, plan_views, views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("items/", views.items, name="items"),
    re_path(r"^items/(?P<code>[0-9A-Za-z_.-]{1,32})/$", views.department_items, name="department_items"),
    path("plans/", plan_views.plans, name="plans"),
    re_path(r"^plans/(?P<code>[^/\x00-\x1f\x7f]{1,40})/$", plan_views.plan_detail, name="plan"),
    path("tasks/", views.tasks, name="tasks"),
    re_path(r"^tasks/(?P<code>[^/\x00-\x1f\x7f]{1,40})/$", views.task_detail, name="task"),
    path("targets/", views.targets, name="targets"),
    path("audit-anchors/", views.audit_anchors, name="audit_anchors"),
    re_path(rf"^check/(?P<code>{check_views.CODE_PATTERN})/$", check_views.check, name="check"),
    re_path(
        rf"^check/(?P<code>{check_views.CODE_PATTERN})/feedback/$",
        check_views.check_feedback,
        name="check_feedback",
    ),
    re_path(
        rf"^check/(?P<code>{check_views.CODE_PATTERN})/withdrawal/$",
        check_views.check_withdrawal,
        name="check_withdrawal",
    ),
    re_path(
        rf"^check/(?P<code>{check_views.CODE_PATTERN})/objection/$",
        check_views.check_objection,
        name="check_objection",
    ),
    re_path(
        rf"^check/(?P<code>{check_views.CODE_PATTERN})/repair/$",
        check_views.check_repair,
        name="check_repair",
    ),
    path("audit-anchors.txt", views.audit_anchors_txt, name="audit_anchors_txt"),
    re_path(r"^targets/(?P<identifier>[0-9A-Za-z_.:/-]{1,40})/$", views.target_detail, name="target"),
    re_path(r"^draws/(?P<draw_id>[^/\x00-\x1f\x7f]{1,60})/$", views.draw_detail, name="draw"),
    re_path(
        r"^draws/(?P<draw_id>[^/\x00-\x1f\x7f]{1,60})/files/(?P<name>[0-9A-Za-z_.-]{1,40})$",
        views.draw_file,
        name="draw_file",
    ),
    re_path(r"^draws/(?P<draw_id>[^/\x00-\x1f\x7f]{1,60})/bundle\.zip$", views.draw_zip, name="draw_zip"),
]
