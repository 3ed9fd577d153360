"""The compiled queries (yichuang.core.sqlcache) answer exactly what the ORM answers, with one statement, and fall
back to the ORM where a value cannot be substituted."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from yichuang.cases import selectors as sel
from yichuang.cases import services as cs
from yichuang.cases.models import Case, CaseMaterial
from yichuang.core import sqlcache
from yichuang.core.sqlcache import CompiledQuery
from yichuang.licences import selectors as lsel

from .conftest import receive

pytestmark = pytest.mark.django_db

FIELDS = [f.attname for f in Case._meta.concrete_fields]


def _same_case(a: Case, b: Case) -> None:
    for name in FIELDS:
        assert getattr(a, name) == getattr(b, name), name


def test_lock_query_equals_the_orm_and_caches_its_relations(world):
    case = receive(world)
    receive(world, seq=2)
    with transaction.atomic():
        with CaptureQueriesContext(connection) as ctx:
            locked = cs._lock(case)
            # the joined rows came with it: no further query
            names = (locked.matter.name, locked.department.name, locked.centre.code, locked.handling_centre.code,
                     locked.matter_version.number)
        assert len(ctx.captured_queries) == 1
        if connection.vendor == "postgresql":
            assert "FOR UPDATE" in ctx.captured_queries[0]["sql"]
        orm = (Case.objects.select_for_update(of=("self",)).select_related(*cs.LOCK_RELATED)
               .defer("matter_version__snapshot").get(pk=case.pk))
    _same_case(locked, orm)
    assert names == (orm.matter.name, orm.department.name, orm.centre.code, orm.handling_centre.code,
                     orm.matter_version.number)
    assert locked.applicant_id_number == case.applicant_id_number  # the encrypted column was decrypted
    assert isinstance(locked.form_data, dict) and locked.form_data == case.form_data  # JSON converted
    assert locked._state.adding is False and locked._state.db == "default"
    with transaction.atomic(), pytest.raises(Exception, match="办件不存在"):
        cs._lock(Case(pk=10**9))


def test_second_run_reuses_the_compiled_statement(world, monkeypatch):
    case = receive(world)
    sel.case_ref_for(user=world.clerk, number=case.number)  # compiled (or already compiled) on this connection
    calls = []
    monkeypatch.setattr(CompiledQuery, "_compile", lambda self, conn: calls.append(self.name))
    with CaptureQueriesContext(connection) as ctx:
        ref = sel.case_ref_for(user=world.clerk, number=case.number)
    assert ref.pk == case.pk and calls == [] and len(ctx.captured_queries) == 1
    with pytest.raises(Exception, match="办件不存在"):
        sel.case_ref_for(user=world.clerk, number="nope")


def test_values_exists_and_a_date_used_twice(world):
    case = receive(world)
    today = dt.date.today()
    assert lsel.licence_types_held(identifier=case.applicant_id_number, today=today) == frozenset()
    entry = lsel._TYPES_HELD._entry(connection)
    assert entry is not None  # compiled, not left to the ORM: the date fills both of its places
    assert sum(1 for name, _ in entry.slots if name == "today") == 2
    assert cs._has_bad_credit(case.applicant_id_number) is False
    cs.applicant_credit_set(identifier=case.applicant_id_number, bad_credit=True, reason="失信")
    assert cs._has_bad_credit(case.applicant_id_number) is True


def test_materials_and_notices_are_read_once_in_checklist_order(world):
    case = Case.objects.get(pk=receive(world).pk)
    CaseMaterial.objects.filter(case=case, requirement_code="app").update(order=9)  # now last
    with CaptureQueriesContext(connection) as ctx:
        codes = [m.requirement_code for m in sel.case_materials(case)]
        again = [m.requirement_code for m in sel.case_materials(case)]
        notices = sel.case_notices(case)
    assert codes == again == ["id", "lease", "photo", "app"]
    assert notices == [] and len(ctx.captured_queries) == 2
    assert codes == list(CaseMaterial.objects.filter(case=case).values_list("requirement_code", flat=True))


def test_a_value_django_rewrites_falls_back_to_the_orm(world):
    first = receive(world)
    receive(world, seq=2)
    prefix = CompiledQuery("test.prefix", lambda prefix: Case.objects.filter(number__startswith=prefix)
                           .order_by("number"), params={"prefix": str})
    assert prefix._entry(connection) is None  # "…%" is not the value passed in: never substituted
    assert [c.number for c in prefix.all(prefix=first.number[:-1])] == sorted(
        Case.objects.values_list("number", flat=True))
    assert prefix.all(prefix="x") == []


def test_wrong_parameters_are_refused(world):
    with pytest.raises(TypeError):
        sel._REF.all(numbr="x")
    with pytest.raises(TypeError):
        sqlcache._placeholder(float)


def test_insert_prepares_values_as_django_does_and_sets_the_ids(world):
    from django.db import DatabaseError

    from yichuang.cases.models import CaseTransition

    case = receive(world)
    rows = [CaseMaterial(case=case, requirement_code=f"x{i}", name=f"材料{i}", necessity="required", order=10 + i)
            for i in range(3)]
    with CaptureQueriesContext(connection) as ctx:
        sqlcache.insert(rows)
    assert len(ctx.captured_queries) == 1  # one statement for the three rows
    assert all(r.pk and r._state.adding is False for r in rows)
    read = {m.pk: m for m in CaseMaterial.objects.filter(pk__in=[r.pk for r in rows])}
    assert [read[r.pk].requirement_code for r in rows] == ["x0", "x1", "x2"]  # each id is its own row's
    t = CaseTransition(case=case, from_state="received", to_state="forwarded", actor=world.clerk,
                       at=case.received_at, data={"k": "值"})
    sqlcache.insert([t])
    assert CaseTransition.objects.get(pk=t.pk).data == {"k": "值"}  # JSON as Django writes it
    # the encrypted column: stored as ciphertext, read back as the number
    copy = Case.objects.get(pk=case.pk)
    copy.pk, copy.number, copy._state.adding = None, case.number + "X", True
    sqlcache.insert([copy])
    with connection.cursor() as cur:
        cur.execute("SELECT applicant_id_number FROM cases_case WHERE id = %s", [copy.pk])
        stored = cur.fetchone()[0]
    assert stored != case.applicant_id_number and stored.startswith("enc:")
    assert Case.objects.get(pk=copy.pk).applicant_id_number == case.applicant_id_number

    # update: only the named fields, auto_now fields named are set, a vanished row is an error
    before = Case.objects.get(pk=case.pk)
    case.state, case.applicant_name = "forwarded", "不写入"
    sqlcache.update(case, ["state", "updated_at"])
    after = Case.objects.get(pk=case.pk)
    assert after.state == "forwarded" and after.applicant_name == before.applicant_name
    assert after.updated_at > before.updated_at
    ghost = Case(pk=10**9)
    with pytest.raises(DatabaseError):
        sqlcache.update(ghost, ["state"])


def test_a_locked_case_knows_whether_it_has_notices(world):
    case = receive(world)
    forwarded = cs.case_forward(case=case, actor=world.clerk)
    with CaptureQueriesContext(connection) as ctx:
        assert sel.case_detail(case=forwarded)["notices"] == []
    assert not any("cases_notice" in q["sql"] for q in ctx.captured_queries)  # known from the lock, not read
    accepted = cs.case_accept(case=forwarded, actor=world.approver)  # adds the 受理通知书 in the same step
    assert [n["kind"] for n in sel.case_detail(case=accepted)["notices"]] == ["acceptance"]
    again = cs.case_suspend(case=accepted, actor=world.approver, reason="site_inspection")  # has one: it is read
    assert [n["kind"] for n in sel.case_detail(case=again)["notices"]] == ["acceptance", "suspension"]  # + 中止告知书


def test_receipt_looks_up_e_licences_only_for_matters_that_accept_them(world):
    with CaptureQueriesContext(connection) as ctx:
        receive(world)  # M-FOOD: no material can be satisfied by an e-licence
    assert not any("licences_elicence" in q["sql"] for q in ctx.captured_queries)


def test_a_key_by_number_is_read_locked_and_checked_in_one_query(world):
    from yichuang.accounts import services as acc
    from yichuang.accounts.constants import Role
    from yichuang.core.errors import NotFound, PermissionDeniedError

    case = receive(world)
    stranger = acc.user_create(username="far", password="secret-pass-1", role=Role.CLERK, display_name="far",
                               centre=world.other_centre)  # a clerk of another centre, not above this one
    with pytest.raises(PermissionDeniedError, match="无权查看"):
        cs.case_forward(case=sel.case_key_for(user=stranger, number=case.number), actor=stranger)
    assert Case.objects.get(pk=case.pk).state == "received"
    with pytest.raises(NotFound):
        cs.case_forward(case=sel.case_key_for(user=world.clerk, number="nope"), actor=world.clerk)
    with CaptureQueriesContext(connection) as ctx:
        forwarded = cs.case_forward(case=sel.case_key_for(user=world.clerk, number=f" {case.number} "),
                                    actor=world.clerk)
    assert forwarded.state == "forwarded" and forwarded.pk == case.pk
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
             and 'FROM "cases_case"' in q["sql"]]
    assert len(reads) == 1  # the lock, by number


# ---------------------------------------------------------------- batched writes


def _writes(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT",
                                                                                  "RELEASE"))]


def test_batched_writes_go_as_one_statement_and_keep_the_audit_chain(world):
    from yichuang.audit.models import AuditEvent
    from yichuang.audit.services import audit_record, audit_verify

    case = receive(world)
    events = AuditEvent.objects.count()
    rows = [CaseMaterial(case=case, requirement_code=f"b{i}", name=f"材料{i}", necessity="required", order=20 + i)
            for i in range(2)]
    case.state = "forwarded"
    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        with sqlcache.batched():
            sqlcache.insert(rows)
            sqlcache.update(case, ["state", "updated_at"])
            audit_record(actor=world.clerk, action="test.batched", obj=case, after={"值": 1})
            if connection.vendor == "postgresql":
                assert _writes(ctx) == []  # nothing sent yet
                assert rows[0].pk is None
        sent = _writes(ctx)
    if connection.vendor == "postgresql":
        assert len(sent) == 1 and sent[0].startswith("WITH w0 AS (INSERT INTO")
    else:
        assert len(sent) >= 3  # SQLite: each write ran at once
    assert all(r.pk for r in rows)  # the ids came back, each to its own row
    read = {m.pk: m.requirement_code for m in CaseMaterial.objects.filter(pk__in=[r.pk for r in rows])}
    assert [read[r.pk] for r in rows] == ["b0", "b1"]
    assert Case.objects.get(pk=case.pk).state == "forwarded"
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.order_by("-seq").first().action == "test.batched"
    assert audit_verify()[0]


def test_a_read_in_a_batch_sees_the_waiting_writes_and_an_update_follows_its_insert(world):
    from yichuang.audit.services import audit_record, audit_verify

    case = receive(world)
    with transaction.atomic():
        with sqlcache.batched():
            cm = CaseMaterial(case=case, requirement_code="r1", name="读", necessity="optional", order=30)
            sqlcache.insert([cm])
            assert CaseMaterial.objects.filter(case=case, requirement_code="r1").exists()  # sent first, then read
            copy = Case.objects.get(pk=case.pk)
            copy.pk = Case.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000  # a drawn key
            copy.number, copy._state.adding = case.number + "B", True
            sqlcache.insert([copy])
            copy.state = "forwarded"
            sqlcache.update(copy, ["state"])  # its INSERT is sent first: one statement cannot update its new row
            audit_record(actor=world.clerk, action="test.one", obj=case)
            audit_record(actor=world.clerk, action="test.two", obj=case)  # the one head row: a second statement
    assert Case.objects.get(pk=copy.pk).state == "forwarded"
    assert audit_verify()[0]


def test_a_failed_batched_write_rolls_back_the_whole_step(world):
    from django.db import DatabaseError

    case = receive(world)
    ghost = Case(pk=10**9)
    cm = CaseMaterial(case=case, requirement_code="g1", name="不应写入", necessity="optional", order=40)
    with pytest.raises(DatabaseError), transaction.atomic():
        with sqlcache.batched():
            sqlcache.insert([cm])
            sqlcache.update(ghost, ["state"])
    assert not CaseMaterial.objects.filter(requirement_code="g1").exists()


def test_a_batched_audit_append_creates_the_chain_head_when_there_is_none(world):
    from yichuang.audit.models import AuditChainHead, AuditEvent
    from yichuang.audit.services import audit_record, audit_verify

    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    with transaction.atomic(), sqlcache.batched():
        audit_record(actor=world.clerk, action="test.first", object_type="t", object_id="1")
    assert list(AuditEvent.objects.values_list("seq", "action")) == [(1, "test.first")]
    assert audit_verify()[0]


def test_batching_can_be_turned_off(world, settings):
    settings.SQL_BATCH = False
    case = receive(world)
    case.state = "forwarded"
    with transaction.atomic(), sqlcache.batched(), CaptureQueriesContext(connection) as ctx:
        sqlcache.update(case, ["state", "updated_at"])
        assert len(_writes(ctx)) == 1 and not sqlcache.batching()  # sent at once
    assert Case.objects.get(pk=case.pk).state == "forwarded"


def test_psycopg_caches_the_parsed_batched_statement():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL driver setting")
    from psycopg import _queries

    assert _queries.MAX_CACHED_STATEMENT_PARAMS >= 256 and _queries.MAX_CACHED_STATEMENT_LENGTH >= 16_384
    # The hall's claim statements rely on it too (named placeholders, longer than psycopg's default 4 kB).
    from yichuang.hall import claim

    for sql in (claim.CALL_NEXT_SQL, claim.FINISH_AND_CALL_NEXT_SQL, claim.FINISH_SQL):
        assert len(sql.encode()) <= _queries.MAX_CACHED_STATEMENT_LENGTH


def test_receipt_and_forward_take_five_and_four_statements_on_postgresql(world):
    """收件: the matter version; the number, the case key and the credit flag in one statement; then the case, its
    materials, its history and the audit event in one. 流转: the locked row with its materials; then the row, its
    history and the audit event in one."""
    if connection.vendor != "postgresql":
        pytest.skip("the statement plan of PostgreSQL")
    receive(world)  # compiled on this connection
    with CaptureQueriesContext(connection) as ctx:
        case = receive(world, seq=2)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(_writes(ctx)) == 3, sql
    assert "cases_casesequence" in sql[1] and "nextval" in sql[1] and "cases_applicantcredit" in sql[1]
    assert sql[-2].startswith("WITH w0 AS (INSERT INTO \"cases_case\"") and "audit_auditchainhead" in sql[-2]
    with CaptureQueriesContext(connection) as ctx:
        forwarded = cs.case_forward(case=sel.case_key_for(user=world.clerk, number=case.number), actor=world.clerk)
        detail = sel.case_detail(case=forwarded)
    assert len(_writes(ctx)) == 2, [q["sql"] for q in ctx.captured_queries]
    assert "FOR UPDATE" in _writes(ctx)[0] and "cases_casematerial" in _writes(ctx)[0]
    orm = list(CaseMaterial.objects.filter(case_id=case.pk).order_by("order", "id"))
    kept = sel.case_materials(forwarded)
    assert [(m.pk, m.requirement_code, m.status, m.medium, m.note, m.size, m.order) for m in kept] == \
        [(m.pk, m.requirement_code, m.status, m.medium, m.note, m.size, m.order) for m in orm]
    assert [m["code"] for m in detail["materials"]] == [m.requirement_code for m in orm]
    assert kept[0]._state.adding is False and kept[0].case_id == case.pk
