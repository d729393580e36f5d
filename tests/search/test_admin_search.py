"""The admin's object listing search: numbers and titles, published or not, any input.

On SQLite the search reads FTS5 trigram tables kept by triggers, on PostgreSQL pg_trgm
indexes (migration ``collection.0009``): the tests below run on both databases, and the
ones naming a database check that its index is there and used."""

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from wagtail.models import Locale

import pytest

from collection.admin_views import search_objects
from collection.factories import LenderFactory, ObjectRecordFactory
from collection.models import ObjectRecord, ObjectText

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    ObjectRecordFactory(inventory_number="SKL-1001", title="Förgylld bägare med lock")
    ObjectRecordFactory(inventory_number="SKL-1002", title="Tennskål", is_published=False)
    ObjectRecordFactory(inventory_number="NM-77", title="Sjal av ull")


def assert_index_in_step():
    """SQLite: FTS5 checks each trigram table against its source rows (an error if not)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO collection_objecttext_trigram(collection_objecttext_trigram, rank)"
                " VALUES ('integrity-check', 1)"
            )
            cursor.execute(
                "INSERT INTO collection_objectrecord_trigram(collection_objectrecord_trigram,"
                " rank) VALUES ('integrity-check', 1)"
            )


def listed(client, q: str) -> list[str]:
    response = client.get(reverse(ObjectRecord.snippet_viewset.get_url_name("list")), {"q": q})
    assert response.status_code == 200
    return sorted(obj.inventory_number for obj in response.context["object_list"])


def test_found_by_a_word_of_the_title(admin_client, objects):
    assert listed(admin_client, "bägare") == ["SKL-1001"]


def test_found_by_its_number_or_part_of_it(admin_client, objects):
    assert listed(admin_client, "NM-77") == ["NM-77"]
    assert listed(admin_client, "skl-10") == ["SKL-1001", "SKL-1002"]


def test_unpublished_objects_are_found_by_staff(admin_client, objects):
    assert listed(admin_client, "tennskål") == ["SKL-1002"]


HOSTILE = ["%", "_", "' OR 1=1 --", '"', "\\", "(", "*:*", "ø" * 5000]
# FTS5 query syntax, which must stay text inside the quoted phrase.
HOSTILE += ['"""', '" OR "', 'a" OR "b', "NEAR(a b)", "title:*", "-abc", "^abc", "abc*", "'\"'"]


@pytest.mark.parametrize("q", HOSTILE)
def test_a_hostile_search_gives_a_normal_page(admin_client, objects, q):
    assert listed(admin_client, q) == []


@pytest.mark.parametrize("q", ["\x00", "sk\x00l"])
def test_a_nul_character_gives_a_normal_page(admin_client, objects, q):
    listed(admin_client, q)  # the search form refuses it: the whole listing, no error


def test_the_search_function_matches_nothing_for_a_nul(objects):
    # Bulk actions read ``q`` without the form (select all in a searched listing).
    assert not search_objects(ObjectRecord.objects.all(), "sk\x00l").exists()
    assert search_objects(ObjectRecord.objects.all(), "bägare").count() == 1


# --- what the trigram index adds -------------------------------------------------------


def test_case_is_folded_beyond_ascii(admin_client, objects):
    # SQLite's LIKE folds only ASCII: before the trigram index these found nothing there.
    assert listed(admin_client, "TENNSKÅL") == ["SKL-1002"]
    assert listed(admin_client, "FÖRGYLLD BÄGARE") == ["SKL-1001"]


def test_found_by_a_part_in_the_middle_of_a_word(admin_client, objects):
    assert listed(admin_client, "ennsKÅ") == ["SKL-1002"]
    assert listed(admin_client, "ÄGAR") == ["SKL-1001"]
    assert listed(admin_client, "l-100") == ["SKL-1001", "SKL-1002"]


def test_terms_of_one_or_two_characters_are_matched_too(admin_client, objects):
    # No trigram in them: these fall back to a scan (which folds only ASCII on SQLite).
    assert listed(admin_client, "ål") == ["SKL-1002"]
    assert listed(admin_client, "7") == ["NM-77"]
    assert listed(admin_client, "nm") == ["NM-77"]
    # From three characters the index answers.
    assert listed(admin_client, "kål") == ["SKL-1002"]
    assert listed(admin_client, "KÅL") == ["SKL-1002"]


def test_double_quotes_in_the_term_are_matched_as_text(admin_client, db):
    ObjectRecordFactory(inventory_number="Q-1", title='Dryckeskärl märkt "Skål för kungen"')
    ObjectRecordFactory(inventory_number="Q-2", title="Skål för kungen")

    assert listed(admin_client, '"SKÅL FÖR KUNGEN"') == ["Q-1"]
    assert listed(admin_client, 'MÄRKT "SKÅL') == ["Q-1"]
    assert listed(admin_client, "SKÅL FÖR") == ["Q-1", "Q-2"]
    assert listed(admin_client, 'kungen"') == ["Q-1"]


def test_a_title_edited_after_creation_is_found_by_its_new_text_only(admin_client, objects):
    text = ObjectText.objects.get(title="Tennskål")
    text.title = "Skål av förtent koppar"
    text.save()
    assert listed(admin_client, "TENNSKÅL") == []
    assert listed(admin_client, "FÖRTENT") == ["SKL-1002"]

    ObjectText.objects.filter(pk=text.pk).update(title="Ölstop")  # no save(), no signal
    assert listed(admin_client, "FÖRTENT") == []
    assert listed(admin_client, "ÖLSTOP") == ["SKL-1002"]

    with connection.cursor() as cursor:  # nor the ORM at all
        cursor.execute(
            "UPDATE collection_objecttext SET title = %s WHERE id = %s", ["Älgskål", text.pk]
        )
    assert listed(admin_client, "ÖLSTOP") == []
    assert listed(admin_client, "ÄLGSKÅL") == ["SKL-1002"]
    assert_index_in_step()


def test_an_edited_inventory_number_is_found_by_its_new_text_only(admin_client, objects):
    ObjectRecord.objects.filter(inventory_number="NM-77").update(inventory_number="NMÅ-78")
    assert listed(admin_client, "NM-77") == []
    assert listed(admin_client, "nmå-7") == ["NMÅ-78"]
    assert_index_in_step()


def test_deleted_titles_and_objects_are_not_found(admin_client, objects):
    bowl = ObjectRecord.objects.get(inventory_number="SKL-1002")
    assert listed(admin_client, "TENNSKÅL") == ["SKL-1002"]
    bowl.delete()
    assert listed(admin_client, "TENNSKÅL") == []
    assert listed(admin_client, "SKL-100") == ["SKL-1001"]

    cup = ObjectRecord.objects.get(inventory_number="SKL-1001")
    ObjectText.objects.create(
        object=cup, locale=Locale.objects.get(language_code="en"), title="Gilded cup"
    )
    ObjectText.objects.filter(object=cup, locale__language_code="sv").delete()
    assert listed(admin_client, "FÖRGYLLD") == []
    assert listed(admin_client, "GILDED") == ["SKL-1001"]
    assert_index_in_step()


def test_objects_made_with_bulk_create_are_found(admin_client, db):
    made = ObjectRecord.objects.bulk_create(
        [ObjectRecord(inventory_number="BULK-Å1"), ObjectRecord(inventory_number="BULK-2")]
    )
    ObjectText.objects.bulk_create(
        [ObjectText(object=made[1], locale=Locale.objects.get(language_code="sv"), title="Ålfiske")]
    )
    assert listed(admin_client, "ÅLFISKE") == ["BULK-2"]
    assert listed(admin_client, "ulk-å") == ["BULK-Å1"]
    assert listed(admin_client, "BULK-") == ["BULK-2", "BULK-Å1"]
    assert_index_in_step()


def test_the_search_combines_with_the_listings_filters(admin_client, objects):
    borrowed = ObjectRecordFactory(
        inventory_number="LÅN-1", title="Tennskål, lånad", lender=LenderFactory()
    )
    assert search_objects(ObjectRecord.objects.filter(lender=None), "TENNSKÅL").count() == 1
    assert search_objects(ObjectRecord.objects.exclude(lender=None), "TENNSKÅL").get() == borrowed
    # Select all in a searched, filtered listing: the bulk action searches the same way.
    ObjectRecord.objects.update(is_published=False)
    path = reverse("wagtail_bulk_action", args=("collection", "objectrecord", "publish"))
    admin_client.post(f"{path}?holding=own&q=TENNSK%C3%85L&id=all")
    assert list(ObjectRecord.objects.filter(is_published=True)) == [
        ObjectRecord.objects.get(inventory_number="SKL-1002")
    ]


# A transactional test: the serialized rollback brings back the migrations' rows afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_index_follows_flush_dumpdata_and_loaddata(tmp_path):
    def numbers(term):
        return sorted(
            search_objects(ObjectRecord.objects.all(), term).values_list(
                "inventory_number", flat=True
            )
        )

    ObjectRecordFactory(inventory_number="SKL-1002", title="Tennskål")
    assert numbers("TENNSKÅL") == ["SKL-1002"]
    dump = tmp_path / "objects.json"
    models = ["wagtailcore.locale", "collection.objectrecord", "collection.objecttext"]
    call_command("dumpdata", *models, output=str(dump), verbosity=0)  # rows only, no index

    # As TransactionTestCase does between tests (with serialized rollback: no post_migrate,
    # which would make the migrations' rows again with new ids, in the way of the restore).
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert numbers("TENNSKÅL") == []
    assert_index_in_step()

    call_command("loaddata", str(dump), verbosity=0)
    assert numbers("TENNSKÅL") == ["SKL-1002"]
    assert numbers("kl-100") == ["SKL-1002"]
    assert_index_in_step()


# --- the index each database uses ------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")
def test_sqlite_searches_the_trigram_tables_kept_by_triggers(objects):
    plan = str(search_objects(ObjectRecord.objects.all(), "tennskål").explain())
    assert "SCAN collection_objecttext_trigram VIRTUAL TABLE" in plan
    assert "SCAN collection_objectrecord_trigram VIRTUAL TABLE" in plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {name for (name,) in cursor.fetchall()}
    # A migration that makes SQLite rebuild one of these tables drops its triggers.
    for table in ("collection_objecttext_trigram", "collection_objectrecord_trigram"):
        assert {f"{table}_insert", f"{table}_update", f"{table}_delete"} <= triggers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pg_trgm indexes")
def test_postgresql_searches_the_trigram_indexes(objects):
    with connection.cursor() as cursor:  # a tiny table is scanned: make the planner show
        cursor.execute("SET LOCAL enable_seqscan = off")  # that it can use the indexes
    plan = search_objects(ObjectRecord.objects.all(), "tennskål").explain()
    assert "Bitmap Index Scan on collection_objecttext_title_trgm" in plan
    assert "Bitmap Index Scan on collection_objectrecord_inventory_number_trgm" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_triggers_a_table_rebuild_dropped_are_repaired_after_migrate(admin_client, objects):
    from collection import trigram

    with connection.cursor() as cursor:
        # What Django's SQLite schema editor does to them when a migration alters a field
        # of ObjectText: it builds a new table and drops the old one, with its triggers.
        for event in trigram.EVENTS:
            cursor.execute(f"DROP TRIGGER {trigram.TEXTS_FTS}_{event}")
    ObjectText.objects.filter(title="Sjal av ull").update(title="Sjal av silke")
    assert listed(admin_client, "silke") == []  # unmaintained: the edit is not indexed
    call_command("migrate", "collection", verbosity=0)
    assert listed(admin_client, "silke") == ["NM-77"]
    assert listed(admin_client, "av ull") == []
    assert_index_in_step()
    assert trigram.repair(connection) == []  # nothing left to repair
