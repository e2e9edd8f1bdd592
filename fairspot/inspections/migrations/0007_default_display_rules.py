"""Default display rules per result category (the office adjusts them to the provincial scheme in the admin).

Negative records are shown 36 months (12 for a finding already corrected); credit repair is allowed
except for false public information and serious refusal to be inspected; for findings other than
publicity and address failures, not before 3 months shown.
"""

from django.db import migrations

BASIS = "默认值：请联席会议办公室按本省信用修复与公示办法核定"
# (scheme, code): (negative, display months, repairable, repair after months)
RULES = {
    ("2017双随机", "A"): (True, 36, True, 3),
    ("2017双随机", "2"): (True, 36, True, 3),
    ("2017双随机", "B"): (True, 36, True, 0),
    ("2017双随机", "C"): (True, 36, False, 0),
    ("2017双随机", "6"): (True, 36, True, 0),
    ("2017双随机", "D"): (True, 36, True, 3),
    ("2017双随机", "3"): (True, 36, True, 3),
    ("2017双随机", "4"): (True, 36, True, 3),
    ("2017双随机", "5"): (True, 36, True, 3),
    ("2017双随机", "G"): (True, 36, True, 3),
    ("2017双随机", "E"): (True, 12, True, 0),
    ("2017双随机", "8"): (True, 36, False, 0),
    ("早期公示信息抽查", "2"): (True, 36, True, 0),
    ("早期公示信息抽查", "3"): (True, 36, True, 0),
    ("早期公示信息抽查", "4"): (True, 36, True, 0),
    ("早期公示信息抽查", "5"): (True, 36, False, 0),
    ("早期公示信息抽查", "6"): (True, 36, False, 0),
}


def load(apps, schema_editor):
    ResultCode = apps.get_model("reference", "ResultCode")
    DisplayRule = apps.get_model("inspections", "DisplayRule")
    for code in ResultCode.objects.all():
        negative, months, repairable, after = RULES.get((code.scheme, code.code), (False, None, False, 0))
        DisplayRule.objects.get_or_create(
            result_code=code,
            defaults={
                "negative": negative,
                "display_months": months,
                "repairable": repairable,
                "repair_after_months": after,
                "basis": BASIS,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_publication_governance")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
