"""Atom feed of newly published results (``/public/results/feed/``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from fairspot.opendata import selectors
from fairspot.opendata.refresh import ensure_fresh

FEED_SIZE = 50


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are ``type="text"``: officers' remarks are never read as HTML."""

    def add_item_elements(self, handler, item):
        description = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})


class PublishedResultsFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = _("Published inspection results")
    subtitle = _("The newest results of joint random inspections (双随机、一公开)")

    def link(self):
        return reverse("opendata:results")

    def items(self):
        ensure_fresh()
        return selectors.latest(FEED_SIZE)

    def item_title(self, item):
        return f"{item.target_name}：{item.item_name} — {item.result_label}"

    def item_description(self, item):
        parts = [
            f"{item.target_identifier}",
            f"{item.authority}",
            f"{item.inspection_type} {item.inspection_date:%Y-%m-%d}",
            item.result_label,
        ]
        if item.remarks:
            parts.append(item.remarks)
        return " · ".join(parts)

    def item_link(self, item):
        return (
            reverse("opendata:results")
            + "?"
            + urlencode({"q": item.target_identifier})
            + f"#r{item.source_id}"
        )

    def item_guid(self, item):
        return f"urn:fairspot:result:{item.source_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.department
