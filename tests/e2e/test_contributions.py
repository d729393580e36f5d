"""The visitor contribution form in a real browser: accessible, and usable without JavaScript.

Needs the demo question of ``stories.contributions.demo`` (loaded by ``load_demo``).
"""

from tests.e2e.conftest import serious_axe_violations

PATH = "/stories/questions/demo-vem-bar-ansvaret/"


def test_the_form_page_has_no_serious_axe_violations(page, demo_site, axe_source):
    for path in (PATH, "/en" + PATH, "/stories/questions/"):
        response = page.goto(demo_site + path)
        assert response.status == 200, path
        assert serious_axe_violations(page, axe_source) == [], path


def test_the_form_with_errors_has_no_serious_axe_violations(page, demo_site, axe_source):
    page.goto(demo_site + "/en" + PATH)
    page.get_by_role("textbox", name="Your answer").fill(
        "An answer without the consent box ticked."
    )
    # Let the server validate (the browser would stop at the unticked required box).
    page.evaluate("document.querySelector('form.contribution-form').noValidate = true")
    page.get_by_role("button", name="Send your answer").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    assert "Tick the box to agree" in page.content()
    # The text is still there.
    assert (
        page.get_by_role("textbox", name="Your answer")
        .input_value()
        .startswith("An answer without")
    )
    assert serious_axe_violations(page, axe_source) == []


def test_the_honeypot_is_hidden_from_people(page, demo_site):
    page.goto(demo_site + PATH)
    assert not page.locator("input[name=website]").is_visible()
    assert page.locator("textarea[name=text]").is_visible()


def test_sending_an_answer_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/en" + PATH)
    page.get_by_role("textbox", name="Your answer").fill(
        "Sent from a browser without JavaScript (e2e test)."
    )
    page.get_by_label("I agree", exact=False).check()
    page.get_by_role("button", name="Send your answer").click()
    page.wait_for_url(demo_site + "/en" + PATH + "thanks/")
    assert "moderator" in page.content()
    # Pending: not shown on the question's page.
    page.goto(demo_site + "/en" + PATH)
    assert "without JavaScript (e2e test)" not in page.content()
    context.close()
