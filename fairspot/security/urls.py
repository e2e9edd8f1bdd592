from django.urls import path

from fairspot.security import views

app_name = "security"

urlpatterns = [
    path("two-step/", views.otp_setup, name="otp_setup"),
    path("two-step/verify/", views.otp_verify, name="otp_verify"),
    path("two-step/remove/", views.otp_remove, name="otp_remove"),
]
