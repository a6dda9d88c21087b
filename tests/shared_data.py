"""Data built once and shared by the tests that ask for it, as Django's
TestCase.setUpTestData shares a class's data: built inside a transaction that stays
open while the tests run, each test in a savepoint of its own (pytest-django's `db`),
rolled back when the next test wants other data.

Declare shared data with the `shared` decorator in a conftest.py (or a test module);
the decorated function builds the data and its name becomes the fixture:

    @shared(requires=("site_data",))
    def drafts(site_data):
        ...
        return {"treaty": treaty}

A test may parametrize shared data indirectly
(`@pytest.mark.parametrize("records", [1, 6], indirect=True)`): the builder then
gets the value as its `param` argument, and each value is its own shared data.

What the tests see is what a fresh build would give them:

- the database as the builders left it, whatever an earlier test wrote (each test's
  writes roll back with its savepoint);
- a deep copy of the builders' return values, made for each test, as setUpTestData
  hands each test its own copies, so a test may change the objects it is given;
- nothing of shared data the test did not ask for: before any other test touches the
  database, whatever it did not ask for is rolled back.

The data stays built across consecutive tests that want it, in one module or from one
module to the next; within a module, the tests that want the same data are run one after
another (`group_by_shared_data`, called from tests/conftest.py). Data that needs other
data (`requires`) is built on top of it, in a savepoint, so moving between `site_data`
and `drafts` rebuilds only the drafts.

The `db` and `transactional_db` fixtures in tests/conftest.py call `SharedData.enter`
before pytest-django opens the test's own transaction (or, for transactional tests and
the live server, after rolling all shared data back: their writes are committed, so no
outer transaction may be open). Shared-data names are unique across the suite.
"""

import copy
import dataclasses
import inspect
import itertools
import sys
from collections.abc import Callable

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction


@dataclasses.dataclass(frozen=True)
class Builder:
    name: str
    build: Callable
    requires: tuple[str, ...]


BUILDERS: dict[str, Builder] = {}


def shared(*, requires: tuple[str, ...] = ()):
    """Make a data-building function into a fixture whose data is shared (see above).
    The function gets the values of the shared data it `requires` as keyword arguments."""

    def decorate(build: Callable):
        name = build.__name__
        declared = BUILDERS.get(name)
        if declared and (declared.build.__module__, declared.build.__qualname__) != (
            build.__module__,
            build.__qualname__,
        ):
            raise ValueError(f"shared data {name!r} is declared twice; names are unique in the suite")
        unknown = [required for required in requires if required not in BUILDERS]
        if unknown:
            raise ValueError(f"{name!r} requires {unknown}, which must be declared before it")
        BUILDERS[name] = Builder(name, build, tuple(requires))

        @pytest.fixture(name=name)
        def fixture(db, shared_values):
            if name not in shared_values:
                raise pytest.UsageError(
                    f"shared data {name!r} was requested after the database was opened "
                    "(getfixturevalue?); name it as an argument of the test or of a fixture"
                )
            return shared_values[name]

        fixture.__doc__ = build.__doc__
        return fixture

    return decorate


NO_PARAM = object()


def default_param(builder: Builder):
    parameter = inspect.signature(builder.build).parameters.get("param")
    return NO_PARAM if parameter is None or parameter.default is parameter.empty else parameter.default


def wanted(item) -> list[tuple[str, object]]:
    """The shared data a test asks for, with what that needs, each after what it needs:
    (name, the test's indirect parameter for it, else the builder's default, else NO_PARAM)."""
    params = item.callspec.params if hasattr(item, "callspec") else {}
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        for required in BUILDERS[name].requires:
            visit(required)
        order.append(name)

    for name in sorted(set(getattr(item, "fixturenames", ())) & set(BUILDERS)):
        visit(name)
    return [(name, params.get(name, default_param(BUILDERS[name]))) for name in order]


def group_by_shared_data(items: list) -> list:
    """The items in the same order, except that within each run of one module's tests,
    those that want the same shared data run one after another (in the order the data is
    first wanted), so it is built once per module and not once per switch."""
    grouped = []
    for _, run in itertools.groupby(items, key=lambda item: item.nodeid.split("::", 1)[0]):
        run = list(run)
        keys = [tuple(wanted(item)) for item in run]
        first = {}
        for key in keys:
            first.setdefault(key, len(first))
        grouped += [item for _, item in sorted(zip(keys, run, strict=True), key=lambda pair: first[pair[0]])]
    return grouped


@dataclasses.dataclass
class Layer:
    key: tuple[str, object]
    atomic: transaction.Atomic
    values: dict
    connection: object  # the connection object the atomic block was opened on


class SharedData:
    """The stack of shared data built so far, each layer in its own atomic block."""

    def __init__(self, blocker):
        self.blocker = blocker
        self.layers: list[Layer] = []

    @property
    def values(self) -> dict:
        return self.layers[-1].values if self.layers else {}

    def enter(self, keys: list[tuple[str, object]]) -> None:
        """Make exactly `keys` (from `wanted`, in order) the shared data in the database."""
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.in_atomic_block and connection.atomic_blocks[-1]._from_testcase:
            raise pytest.UsageError(
                "the test's transaction is already open (a django_db marker?): shared data "
                "must be built before it; request the db fixture instead of the marker"
            )
        kept = 0
        while kept < min(len(self.layers), len(keys)) and self.layers[kept].key == keys[kept]:
            kept += 1
        self.leave(kept)
        for name, param in keys[kept:]:
            self._build(BUILDERS[name], param)

    def leave(self, depth: int = 0) -> None:
        """Roll back every layer above `depth` (all of them by default)."""
        while len(self.layers) > depth:
            layer = self.layers.pop()
            if layer.connection is not connections[DEFAULT_DB_ALIAS]:
                # Django keeps connections per context (asgiref): an event loop started
                # since (Playwright's) would leave this layer open on a connection that
                # atomic() no longer reaches. Whatever starts one must leave() first.
                raise RuntimeError(f"shared data {layer.key[0]!r} was opened on another connection")
            with self.blocker.unblock():
                transaction.set_rollback(True)
                layer.atomic.__exit__(None, None, None)

    def _build(self, builder: Builder, param) -> None:
        # Each layer keeps its own copy of the values below it: a builder that changes an
        # object it was given (drafts making a treaty amend a draft) changes it in its
        # layer only, not in the data handed to tests that did not ask for it.
        values = copy.deepcopy(self.values)
        with self.blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                kwargs = {name: values[name] for name in builder.requires}
                if param is not NO_PARAM:
                    kwargs["param"] = param
                values[builder.name] = builder.build(**kwargs)
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        self.layers.append(Layer((builder.name, param), atomic, values, connections[DEFAULT_DB_ALIAS]))
