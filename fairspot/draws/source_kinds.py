"""The kinds of randomness an officer can name, each with the rule of its values — so nobody types a
regular expression, and a refused value is explained in words."""

from django.utils.translation import gettext_lazy as _

from fairspot.draw.sources import DRAND_FORMAT  # the engine's rule for a drand round (also the seed's)

PUBLIC_NUMBER_FORMATS = {
    "close": r"^[0-9]+\.[0-9]{2}$",
    "integer": r"^[0-9]+$",
    "digits": r"^[0-9]+( [0-9]+)*$",
}
CEREMONY_FORMAT = "^[0-9a-f]{32}$"

FORMAT_WORDS = {
    PUBLIC_NUMBER_FORMATS["close"]: _("a number with two decimals, e.g. 10523.47"),
    PUBLIC_NUMBER_FORMATS["integer"]: _("a whole number, digits only"),
    PUBLIC_NUMBER_FORMATS["digits"]: _("numbers separated by single spaces, e.g. 03 15 22"),
    CEREMONY_FORMAT: _("32 characters, each 0–9 or a–f (the dice as thrown)"),
    DRAND_FORMAT: _("64 characters, each 0–9 or a–f"),
}


def format_in_words(fmt: str) -> str:
    return str(FORMAT_WORDS.get(fmt, _("the kind declared for this source")))
