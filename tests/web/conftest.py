"""Fixtures the expert-side test files share: one invited expert in one open round."""
import pytest


@pytest.fixture
def expert(factory):
    return factory.make_user(password=None)


@pytest.fixture
def consultation(factory, expert):
    return factory.make_consultation(participants=[expert])
