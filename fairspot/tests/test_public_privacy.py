"""The portal's pages and the open data (API, bulk files, feed) publish people's data by one rule."""

from fairspot.opendata.privacy import mask_text, public_target
from fairspot.portal import privacy as portal
from fairspot.testing.opendata import ID_CARD


def test_the_portal_and_the_open_data_apply_one_rule():
    """The API once masked a legal representative that the public target page showed in full."""

    class Target:
        name, legal_representative, is_market_entity = "新乡某某科技有限公司", "李四", True
        entity_type = "enterprise"

    assert (
        portal.public_representative(Target) == public_target(Target.name, "李四", "enterprise")[1] == "李*"
    )
    for text in ("电话13812345678", "座机0373-5551234", f"身份证{ID_CARD}"):
        assert portal.mask_text(text) == mask_text(text)
