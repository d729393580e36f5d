from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

import pytest

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory

pytestmark = pytest.mark.django_db


def staff(client, *groups, perms=()):
    user = get_user_model().objects.create_user(
        f"u{'-'.join(groups) or 'x'}", password="a long test password 1"
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    for codename in perms:
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label__in=["collection", "wagtailadmin"], codename=codename
            )
        )
    client.force_login(user)
    return user


def test_registrar_sees_insurance_and_lender_contact(client):
    staff(client, "Registrars")
    loan = LoanAgreementFactory()
    assert (
        'name="insurance_value"'
        in client.get(f"/admin/snippets/collection/loanagreement/edit/{loan.pk}/").text
    )
    assert (
        'name="contact_email"'
        in client.get(f"/admin/snippets/collection/lender/edit/{loan.lender.pk}/").text
    )


def test_editing_a_loan_without_the_insurance_permission_hides_and_keeps_the_value(client):
    staff(
        client,
        perms=["access_admin", "change_loanagreement", "view_loanagreement", "change_lender"],
    )
    loan = LoanAgreementFactory(insurance_value=987654)
    page = client.get(f"/admin/snippets/collection/loanagreement/edit/{loan.pk}/").text
    assert 'name="insurance_value"' not in page and "987654" not in page
    lender_page = client.get(f"/admin/snippets/collection/lender/edit/{loan.lender.pk}/").text
    assert loan.lender.contact_email not in lender_page


def test_curator_may_clear_sensitive_objects_translator_may_not(client):
    obj = ObjectRecordFactory(contains_human_remains=True)
    staff(client, "Curators")
    assert (
        'name="sensitivity_cleared"'
        in client.get(f"/admin/snippets/collection/objectrecord/edit/{obj.pk}/").text
    )
    client.logout()
    staff(client, "Translators")
    page = client.get(f"/admin/snippets/collection/objectrecord/edit/{obj.pk}/")
    assert page.status_code == 200
    assert 'name="sensitivity_cleared"' not in page.text


def test_curator_cannot_change_loans(client):
    staff(client, "Curators")
    loan = LoanAgreementFactory(lender=LenderFactory())
    response = client.get(f"/admin/snippets/collection/loanagreement/edit/{loan.pk}/")
    assert response.status_code in (302, 403)
