"""What the apps above cases join in: cases knows nothing above it.

The case services (and the receive page) fire these hooks at fixed points of a case's life; the apps that build on
cases (licences, documents, bundles, crossregion, hall) register their receivers in their ``AppConfig.ready()``
(each in a small ``<app>/case_hooks.py``). A hook with no receiver does nothing, so cases runs on its own.

Receivers are called in the order of their ``order`` (lower first), then of registration; they take keyword
arguments only. Inside a service they run in the service's transaction, with the case row locked: a receiver that
raises a domain error refuses the step (nothing is written), one that writes is rolled back with it. Work that must
wait for the commit (messages) is the receiver's to defer with ``transaction.on_commit``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

R = TypeVar("R")


class Hook(Generic[R]):
    """A named list of receivers: :meth:`register` joins, :meth:`fire` calls every receiver and returns their
    answers in call order, :meth:`first` stops at the first answer that is not None."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._receivers: list[tuple[int, int, Callable[..., R]]] = []

    def register(self, receiver: Callable[..., R], *, order: int = 0) -> Callable[..., R]:
        """Join the hook (once: registering the same receiver again changes nothing). Returns ``receiver``, so
        this serves as a decorator too."""
        if all(r is not receiver for _, _, r in self._receivers):
            self._receivers.append((order, len(self._receivers), receiver))
            self._receivers.sort(key=lambda item: item[:2])
        return receiver

    def unregister(self, receiver: Callable[..., R]) -> None:
        self._receivers = [item for item in self._receivers if item[2] is not receiver]

    @property
    def receivers(self) -> list[Callable[..., R]]:
        """The receivers in call order."""
        return [receiver for _, _, receiver in self._receivers]

    def fire(self, **kwargs: Any) -> list[R]:
        return [receiver(**kwargs) for _, _, receiver in self._receivers]

    def first(self, **kwargs: Any) -> R | None:
        """The first answer that is not None (the receivers after it are not called)."""
        for _, _, receiver in self._receivers:
            answer = receiver(**kwargs)
            if answer is not None:
                return answer
        return None

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"


@dataclass
class ResultFields:
    """What approving a case records for others (办结产出), as the receivers of :data:`result_fields` build it:
    ``fields`` by code, each ``{"code", "label", "required", "value"}``. ``final``: a receiver has said all there
    is (a one-thing bundle's sub-case records what its bundle item produces and nothing else); later receivers
    leave it alone."""

    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    final: bool = False


# ---------------------------------------------------------------- receipt (收件)

held_licence_types: Hook[frozenset[str] | set[str]] = Hook("held_licence_types", """
    ``(*, identifier: str) -> set[str]``: the codes of the licence types the applicant (ID number or credit code)
    validly holds, so that the materials those licences prove are exempt (免提交). The answers are joined.
    Fired only for a matter some of whose materials a licence can prove.""")

receipt_on_behalf: Hook[Any] = Hook("receipt_on_behalf", """
    ``(*, matter, centre, handling_centre) -> Any``: a receipt at ``centre`` for another ``handling_centre``
    (跨域通办). A receiver raises a domain error if ``centre`` may not receive the matter for that centre; a truthy
    answer says the centres are in different jurisdictions, so a window receipt counts as 异地代收
    (channel ``on_behalf``). Fired before anything is written, only when the two centres differ.""")

on_case_created: Hook[None] = Hook("on_case_created", """
    ``(*, case, materials: list[CaseMaterial], actor) -> None``: a case and its material rows were just written
    (收件 or 网上申请), in the receipt's transaction, before its first history row.""")

on_case_received_for_ticket: Hook[None] = Hook("on_case_received_for_ticket", """
    ``(*, case, actor, ticket) -> None``: the receive page has received ``case`` for the queue ticket it was
    opened from (``ticket``: what :data:`front_desk_ticket` found). Fired after the receipt committed; a domain
    error is shown to the clerk as a warning and does not undo the receipt.""")

front_desk_ticket: Hook[Any] = Hook("front_desk_ticket", """
    ``(*, user, number: str) -> ticket | None``: today's queue ticket ``number`` at the user's centre, for the
    receive page (the first answer that is not None is used). The page reads ``number``, ``matter``,
    ``domain.matters``, ``id_number`` and ``window_id`` of it.""")

# ---------------------------------------------------------------- notices

notice_wording: Hook[dict | None] = Hook("notice_wording", """
    ``(*, kind: str, case, **details) -> {"text", "content"} | None``: the words of a notice whose wording belongs
    to the documents (决定书, 不予受理通知书, 容缺受理承诺书, 中止告知书; ``details`` as each service passes them). The
    first answer that is not None is used; a kind nobody words is a configuration error.""")

on_notice_given: Hook[None] = Hook("on_notice_given", """
    ``(*, notice) -> None``: a notice was recorded, in the step's transaction (its 文号 is drawn here, so a
    decision and its number are recorded together or not at all).""")

# ---------------------------------------------------------------- decision and issuance

result_fields: Hook[None] = Hook("result_fields", """
    ``(*, case, result: ResultFields) -> None``: what approving ``case`` must or may record for others; each
    receiver adds to or edits ``result.fields`` in place (see :class:`ResultFields`).""")

on_case_approved: Hook[None] = Hook("on_case_approved", """
    ``(*, case, actor, result_data: dict) -> None``: 准予, before the decision notice is given (the result licence
    goes into the library here).""")

on_case_decided: Hook[None] = Hook("on_case_decided", """
    ``(*, case, approved: bool, actor, result_data: dict, reason: str) -> None``: the case has its outcome, after
    its notice: 准予 (``approved``) or 不予, and also 不予受理 and 撤回 (``approved`` false: it will produce
    nothing). A one-thing bundle releases or stops the sub-cases that depend on it.""")

before_case_issued: Hook[None] = Hook("before_case_issued", """
    ``(*, case, actor) -> None``: 出件 is about to be recorded; a receiver raises a domain error to refuse it
    (a case received on behalf of another centre is handed over by the receiving centre).""")

