import datetime

from wagtail.models import Locale

import factory

from collection.models import Lender, LoanAgreement, ObjectRecord, ObjectText


class LenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lender

    name = factory.Sequence(lambda n: f"Test lender {n}")
    slug = factory.Sequence(lambda n: f"lender-{n}")
    kind = Lender.Kind.INSTITUTION
    contact_email = factory.Sequence(lambda n: f"registrar{n}@lender.invalid")


class ObjectRecordFactory(factory.django.DjangoModelFactory):
    """A published object of the own collection, with a Swedish title."""

    class Meta:
        model = ObjectRecord
        skip_postgeneration_save = True

    inventory_number = factory.Sequence(lambda n: f"TEST-{n:04d}")
    object_type = "bowl"
    is_published = True
    rights_statement = "http://creativecommons.org/publicdomain/zero/1.0/"

    @factory.post_generation
    def title(obj, create, extracted, **kwargs):
        if create:
            ObjectText.objects.create(
                object=obj,
                locale=Locale.objects.get(language_code="sv"),
                title=extracted or f"Föremål {obj.inventory_number}",
            )


class LoanAgreementFactory(factory.django.DjangoModelFactory):
    """An agreed loan for all venues, 2027-01-01 to 2028-12-31."""

    class Meta:
        model = LoanAgreement
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"L-{n:04d}")
    lender = factory.SubFactory(LenderFactory)
    starts_on = datetime.date(2027, 1, 1)
    ends_on = datetime.date(2028, 12, 31)
    all_venues = True
    status = LoanAgreement.Status.AGREED
    insurance_value = 1234567
    insurance_currency = "SEK"

    @factory.post_generation
    def loaned_objects(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.loaned_objects.set(extracted)
            obj.save()  # parental many-to-many relations are written on save
