"""Only what visible_in(channel) selects is indexed, changes reach the index at once, and
nothing confidential is ever indexed."""

from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from wagtail.models import Locale

import pytest

from collection.factories import LenderFactory, LoanAgreementFactory, ObjectRecordFactory
from collection.models import Culture, LoanAgreement, ObjectRecord, ObjectText
from search import registry, service
from search.query import SearchQuery
from visibility.channels import WEB

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.ELASTICSEARCH_URL = None
    return settings.SEARCH_INDEX_DIR


def found(text="", **kwargs) -> set[str]:
    results = service.search(SearchQuery(text=text, page_size=50, **kwargs))
    return {hit.pk for hit in results.hits}


def test_objects_are_registered_by_the_collection_app():
    assert registry.get_source("object") is not None
    assert WEB in registry.channels()


def test_rebuild_indexes_only_what_the_web_may_show():
    visible = ObjectRecordFactory(title="Synlig skål")
    ObjectRecordFactory(title="Opublicerad skål", is_published=False)
    ObjectRecordFactory(title="Känslig skål", contains_human_remains=True)
    cleared = ObjectRecordFactory(
        title="Godkänd skål", contains_human_remains=True, sensitivity_cleared=True
    )
    requested = ObjectRecordFactory(title="Begärd skål")
    LoanAgreementFactory(loaned_objects=[requested], status=LoanAgreement.Status.REQUESTED)
    lent = ObjectRecordFactory(title="Lånad skål")
    LoanAgreementFactory(loaned_objects=[lent])
    for obj in (requested, lent):
        obj.lender = obj.loans.first().lender
        obj.save()
    assert service.rebuild() == {"web": 3}
    assert found("skål") == {str(visible.pk), str(cleared.pk), str(lent.pk)}


def test_saving_unpublishing_and_deleting_reach_the_index_at_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        obj = ObjectRecordFactory(title="Kopparkittel")
    assert found("kopparkittel") == {str(obj.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        ObjectText.objects.create(
            object=obj, locale=Locale.objects.get(language_code="en"), title="Copper kettle"
        )
    assert found("kettle") == {str(obj.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        obj.is_published = False
        obj.save()
    assert found("kopparkittel") == set()

    with django_capture_on_commit_callbacks(execute=True):
        obj.is_published = True
        obj.save()
    assert found("kopparkittel") == {str(obj.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        obj.delete()
    assert found("kopparkittel") == set()
    assert service.embedded_backend().count(WEB) == 0


def test_vocabulary_and_loan_changes_reach_their_objects(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        obj = ObjectRecordFactory(title="Halsband")
        culture = Culture.objects.create(name="Kustfolk")
        obj.cultures.add(culture)
        obj.save()  # parental many-to-many relations are written on save
    assert found("", filters={"culture": ("Kustfolk",)}) == {str(obj.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        culture.name = "Havsfolk"
        culture.save()
    assert found("havsfolk") == {str(obj.pk)}
    assert found("", filters={"culture": ("Kustfolk",)}) == set()

    with django_capture_on_commit_callbacks(execute=True):
        lender = LenderFactory(name="Fiktiva museet")
        obj.lender = lender
        obj.save()  # a loan object without an agreed loan is not shown
    assert found("halsband") == set()
    with django_capture_on_commit_callbacks(execute=True):
        loan = LoanAgreementFactory(lender=lender, loaned_objects=[obj])
    assert found("halsband") == {str(obj.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        loan.status = LoanAgreement.Status.REQUESTED
        loan.save()
    assert found("halsband") == set()


def test_anonymous_lenders_appear_only_as_private_collection(django_capture_on_commit_callbacks):
    lender = LenderFactory(
        name="Greta Hemligsson", kind="private", is_anonymous=True, contact_phone="070-1234567"
    )
    obj = ObjectRecordFactory(title="Silverbägare", lender=lender)
    LoanAgreementFactory(lender=lender, loaned_objects=[obj])
    service.rebuild()
    assert found("silverbägare") == {str(obj.pk)}
    assert found("", filters={"lender": ("Private collection",)}) == {str(obj.pk)}
    assert found("Hemligsson") == set()
    assert found("Greta") == set()
    results = service.search(SearchQuery(text=""))
    assert {v.value for v in results.facets["lender"]} == {"Private collection"}


CONFIDENTIAL = {
    "insurance": Decimal("7654321.00"),
    "loan_number": "LÅN-HEMLIG-77",
    "contact_name": "Kontakt Konfidentiellsson",
    "contact_email": "registrar.secret@lender.invalid",
    "contact_phone": "+46 8 555 01 99",
    "address": "Hemliga gatan 12",
    "lender_notes": "Lånegivarens interna anteckning",
    "loan_notes": "Försäkringsbolaget kräver vakt",
    "security": "Larmkod 4711",
    "sensitivity_note": "Intern känslighetsnotering",
    "anonymous_name": "Anonyma Privatsamlarsson",
}


def test_confidential_fields_are_never_indexed():
    """Demo-like data with insurance values and lender contacts: none of it can be found."""
    named = LenderFactory(
        name="Fiktiva stadsmuseet",
        contact_name=CONFIDENTIAL["contact_name"],
        contact_email=CONFIDENTIAL["contact_email"],
        contact_phone=CONFIDENTIAL["contact_phone"],
        address=CONFIDENTIAL["address"],
        notes=CONFIDENTIAL["lender_notes"],
    )
    anonymous = LenderFactory(
        name=CONFIDENTIAL["anonymous_name"], kind="private", is_anonymous=True
    )
    objects = []
    for lender in (named, anonymous):
        obj = ObjectRecordFactory(
            title="Lånat föremål",
            lender=lender,
            sensitivity_note=CONFIDENTIAL["sensitivity_note"],
        )
        LoanAgreementFactory(
            lender=lender,
            loaned_objects=[obj],
            number=CONFIDENTIAL["loan_number"] + lender.slug,
            insurance_value=CONFIDENTIAL["insurance"],
            notes=CONFIDENTIAL["loan_notes"],
            security=CONFIDENTIAL["security"],
        )
        objects.append(obj)
    assert service.rebuild() == {"web": 2}
    assert found("lånat") == {str(o.pk) for o in objects}

    insurance = CONFIDENTIAL["insurance"]
    needles = [str(v) for k, v in CONFIDENTIAL.items() if k != "insurance"]
    needles += [str(int(insurance)), f"{insurance:.2f}", f"{int(insurance):,}".replace(",", " ")]
    for needle in needles:
        assert found(needle) == set(), needle
        for word in needle.split():
            if len(word) > 3 and word.lower() not in {"gatan", "interna"}:
                assert found(word) == set(), (needle, word)
    # What the index is built from holds none of it either, in any field.
    documents = list(service.documents(WEB))
    text = repr([d.__dict__ for d in documents])
    for needle in needles:
        assert needle not in text, needle
    assert "Fiktiva stadsmuseet" in text  # the named lender's public name is public


def test_documents_have_an_explicit_allow_list():
    obj = ObjectRecordFactory(
        title="Skål", inscriptions="IHS", dating="c. 1650", earliest_year=1640, latest_year=1660
    )
    (document,) = service.documents(WEB)
    assert document.id == f"object:{obj.pk}"
    assert set(document.facets) <= {
        "ownership",
        "culture",
        "material",
        "maker",
        "place",
        "object_type",
        "lender",
    }
    assert document.urls == {"sv": f"/collection/{obj.pk}/", "en": f"/en/collection/{obj.pk}/"}
    assert (document.year_start, document.year_end) == (1640, 1660)


def test_rebuild_command_prints_counts(settings):
    ObjectRecordFactory.create_batch(3)
    out, err = StringIO(), StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert "web (embedded): 3 documents" in out.getvalue()
    assert service.embedded_backend().count(WEB) == 3


def test_import_batches_index_updates(tmp_path, django_capture_on_commit_callbacks):
    csv = tmp_path / "objects.csv"
    csv.write_text(
        "inventory_number,language,title,published\n"
        "IMP-1,sv,Importerad skål,true\nIMP-2,sv,Importerad kanna,true\n",
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_objects", str(csv), stdout=StringIO(), stderr=StringIO())
    pks = {str(pk) for pk in ObjectRecord.objects.values_list("pk", flat=True)}
    assert found("importerad") == pks
    assert len(pks) == 2


def test_each_channel_has_its_own_index(monkeypatch):
    import datetime

    from visibility.channels import Channel, ChannelKind, VenueRef

    venue = Channel(
        ChannelKind.VENUE,
        VenueRef(
            pk=999,
            slug="fiktiva-hallen",
            country="SE",
            opens_on=datetime.date(2027, 3, 1),
            closes_on=datetime.date(2027, 6, 1),
        ),
    )
    monkeypatch.setattr(registry, "_channel_providers", [lambda: [venue]])
    own = ObjectRecordFactory(title="Egen skål")
    lent = ObjectRecordFactory(title="Lånad skål")
    loan = LoanAgreementFactory(loaned_objects=[lent], all_venues=False)
    lent.lender = loan.lender
    lent.save()
    assert service.rebuild() == {"web": 2, "venue:fiktiva-hallen": 1}
    web = service.search(SearchQuery(text="skål"))
    at_venue = service.search(SearchQuery(text="skål"), channel=venue)
    assert {h.pk for h in web.hits} == {str(own.pk), str(lent.pk)}
    assert {h.pk for h in at_venue.hits} == {str(own.pk)}  # the loan does not cover the venue
