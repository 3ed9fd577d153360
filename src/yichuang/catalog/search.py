"""Matter search keys. (Placeholder indexer; the search module replaces the ranking.)"""

from __future__ import annotations


def matter_index(matter) -> None:
    matter.search_text = " ".join(filter(None, [matter.name, matter.keywords]))
    type(matter).objects.filter(pk=matter.pk).update(search_text=matter.search_text)
