"""The Atom feed sends officers' remarks as text: a reader never runs markup in them."""

from xml.etree import ElementTree

from fairspot.opendata.feeds import PlainTextAtomFeed

ATOM = "{http://www.w3.org/2005/Atom}"


def test_summary_is_text_and_markup_is_escaped():
    feed = PlainTextAtomFeed(title="t", link="https://example.org/", description="d")
    feed.add_item(
        title="x", link="https://example.org/1", description='<script>alert("x")</script> & <b>粗</b>'
    )
    xml = feed.writeString("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    summary = ElementTree.fromstring(xml).find(f"{ATOM}entry/{ATOM}summary")  # noqa: S314 - our own output
    assert summary.get("type") == "text"
    assert summary.text == '<script>alert("x")</script> & <b>粗</b>'


def test_published_results_feed_uses_text_summaries(client, world):
    xml = client.get("/public/results/feed/").content.decode()
    summaries = ElementTree.fromstring(xml).findall(f"{ATOM}entry/{ATOM}summary")  # noqa: S314 - our own output
    assert len(summaries) == 3 and {s.get("type") for s in summaries} == {"text"}
