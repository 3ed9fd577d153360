"""Case pages. Thin: they parse the form, call cases.selectors / cases.services, and show the result.
A refused step (DomainError) is shown in Chinese and English on the same page; nothing already saved is lost."""

from .applying import apply, apply_pick, mine, receive
from .case_page import action, detail, material_file, notice, pii
from .public import inbox, progress

__all__ = ["action", "apply", "apply_pick", "detail", "inbox", "material_file", "mine", "notice", "pii", "progress",
           "receive"]
