"""End-to-end tests in Debian's chromium: where it is, the demo password, logging in."""

import shutil

CHROMIUM = shutil.which("chromium")
PASSWORD = "fairspot-demo"


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("nav.main")
