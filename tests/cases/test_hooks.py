"""The registry the apps above cases join (cases.hooks): order, one registration per receiver, first answer; and
the apps that build on cases have joined in their AppConfig.ready()."""

from yichuang.bundles import case_hooks as bundle_hooks
from yichuang.cases import hooks
from yichuang.crossregion import rules
from yichuang.documents import case_hooks as document_hooks
from yichuang.hall import case_hooks as hall_hooks
from yichuang.licences import case_hooks as licence_hooks


def test_receivers_run_by_order_then_registration_once_each():
    hook = hooks.Hook("probe", "a test hook")
    calls = []

    def a(**kw):
        calls.append("a")
        return None

    def b(**kw):
        calls.append("b")
        return "b"

    def c(**kw):
        calls.append("c")
        return "c"

    hook.register(c, order=10)
    hook.register(a)
    hook.register(b)
    hook.register(a)  # again: no second call
    assert hook.fire(x=1) == [None, "b", "c"] and calls == ["a", "b", "c"]
    calls.clear()
    assert hook.first(x=1) == "b" and calls == ["a", "b"]  # c is not asked
    hook.unregister(b)
    assert hook.fire() == [None, "c"]
    assert hooks.Hook("empty", "").first() is None


def test_the_apps_above_cases_joined_in_ready():
    def joined(hook, receiver):
        return receiver in hook.receivers

    assert joined(hooks.held_licence_types, licence_hooks.held_licence_types)
    assert joined(hooks.on_case_created, licence_hooks.case_created)
    assert joined(hooks.on_case_approved, licence_hooks.case_approved)
    assert joined(hooks.on_case_decided, bundle_hooks.case_decided)
    assert joined(hooks.receipt_on_behalf, rules.on_behalf_check)
    assert joined(hooks.before_case_issued, rules.issue_centre_check)
    assert joined(hooks.on_notice_given, document_hooks.notice_given)
    assert joined(hooks.notice_wording, document_hooks.notice_wording)
    assert joined(hooks.front_desk_ticket, hall_hooks.front_desk_ticket)
    assert joined(hooks.on_case_received_for_ticket, hall_hooks.case_received_for_ticket)
    # the bundle's offers come before the licence library's amendment of them
    order = hooks.result_fields.receivers
    assert order.index(bundle_hooks.result_fields) < order.index(licence_hooks.result_fields)
