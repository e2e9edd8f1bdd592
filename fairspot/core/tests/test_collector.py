"""``collector_paused``: the cyclic collector is off while any pause is under way (nested, or in two
threads at once) and back on after the last one, also when the work fails."""

import gc
import threading

import pytest

from fairspot.core.collector import collector_paused


def test_nested_pauses_and_an_error():
    assert gc.isenabled()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause is still under way
    assert gc.isenabled()

    @collector_paused()
    def fails():
        assert not gc.isenabled()
        raise ValueError("refused")

    with pytest.raises(ValueError):
        fails()
    assert gc.isenabled()


def test_two_threads_overlapping():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            seen["after the first left"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"after the first left": False}
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
