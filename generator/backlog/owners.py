"""Who answers for a recommendation: the item's ``owner`` (an FAQ question's is its file's),
else its category's ``owner`` (``categories.yml``), else nobody yet ("unassigned")."""

from __future__ import annotations

UNASSIGNED = "unassigned"


class Owners:
    def __init__(self, catalogue):
        self.catalogue = catalogue
        self.by_category = {c.id: c.owner for c in catalogue.categories if getattr(c, "owner", "")}
        self.by_group = {g.id: g.owner for g in catalogue.faqs}
        self.group_category = {g.id: g.category for g in catalogue.faqs}

    def category_of(self, item) -> str:
        if item.kind == "faq":
            return item.category or self.group_category.get(item.group_id, "")
        return item.category

    def of_item(self, item_id: str | None) -> tuple[str, str]:
        """(owner, where it comes from: "item", "category" or "none") of an item id."""
        item = self.catalogue.get(item_id) if item_id else None
        if item is None:
            return UNASSIGNED, "none"
        own = self.by_group.get(item.group_id, "") if item.kind == "faq" else getattr(item, "owner", "")
        if own:
            return own, "item"
        return self.of_category(self.category_of(item))

    def of_group(self, group_id: str) -> tuple[str, str]:
        own = self.by_group.get(group_id, "")
        return (own, "item") if own else self.of_category(self.group_category.get(group_id, ""))

    def of_category(self, category: str | None) -> tuple[str, str]:
        own = self.by_category.get(category or "", "")
        return (own, "category") if own else (UNASSIGNED, "none")
