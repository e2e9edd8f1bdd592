"""Fairspot: joint "双随机、一公开" supervision with publicly verifiable draws."""

__version__ = "0.1.0"
