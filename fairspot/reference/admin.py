from django.contrib import admin

from fairspot.reference.models import CheckMethod, Division, FollowupAction, Industry, ResultCode

for model in (Industry, Division, CheckMethod, ResultCode, FollowupAction):
    admin.site.register(model)
