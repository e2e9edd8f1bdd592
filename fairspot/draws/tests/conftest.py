from fairspot.draws.tests.test_workflow import colleague, district, media  # noqa: F401 - fixtures re-exported
