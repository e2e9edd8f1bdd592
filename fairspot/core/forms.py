from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > settings.FAIRSPOT_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than the %(mb)d MB allowed.")
                % {"mb": settings.FAIRSPOT_IMPORT_MAX_BYTES // 1_048_576}
            )
        return upload
