"""manage.py setup_district FILE.xlsx | DEPARTMENTS.csv USERS.csv: departments and users from files."""

from pathlib import Path

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError

from fairspot.accounts.files import read_setup_files
from fairspot.accounts.setup import setup_district, write_template
from fairspot.lib.tabular import TableError


class Command(BaseCommand):
    help = "Create or update the district's departments and users from one workbook or two CSV files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument(
            "--template", type=Path, help="write an empty XLSX template to this path and stop"
        )
        parser.add_argument(
            "--reset-passwords", action="store_true", help="give existing users a new one-time password"
        )
        parser.add_argument(
            "--email", action="store_true", help="e-mail each new password instead of printing it"
        )

    def handle(self, *args, files, template, reset_passwords, email, **options):
        if template:
            write_template(template)
            self.stdout.write(f"模板已写入 {template}")
            return
        try:
            departments, users = read_setup_files(files)
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        report = setup_district(departments=departments, users=users, reset_passwords=reset_passwords)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} 处错误，未写入任何数据。")
        self.stdout.write(
            f"部门：新建 {report.departments_created}，更新 {report.departments_updated}；"
            f"用户：新建 {report.users_created}，更新 {report.users_updated}。"
        )
        if report.passwords:
            from fairspot.accounts.models import User

            self.stdout.write(
                "一次性密码（只显示这一次，首次登录须修改）：" if not email else "一次性密码已发送："
            )
            for username, password in sorted(report.passwords.items()):
                if email:
                    address = User.objects.get(username=username).email
                    if not address:
                        self.stdout.write(f"  {username}: 无电子邮箱，密码 {password}")
                        continue
                    send_mail(
                        "Fairspot 账号",
                        f"用户名 {username}\n一次性密码 {password}\n首次登录须修改密码。",
                        None,
                        [address],
                    )
                    self.stdout.write(f"  {username} → {address}")
                else:
                    self.stdout.write(f"  {username}\t{password}")
