"""How deep the hostile-input fuzzing goes (tests/reliability/test_bad_input*.py).

`make test` runs every fuzzer with its everyday number of examples; `make reliability`, which CI
runs too, runs them again FUZZ_DEPTH times deeper. A failure names its example, which a test of
its own then keeps (tests/backoffice/test_bad_input.py)."""

import os

import hypothesis

DEPTH = int(os.environ.get("FUZZ_DEPTH") or 1)


def fuzzing(examples, *, derandomize=False):
    """Hypothesis settings for a fuzzer drawing `examples` requests (times FUZZ_DEPTH); no
    deadline (a page may be slow under load), no example database (runs are independent)."""
    return hypothesis.settings(
        max_examples=examples * DEPTH,
        deadline=None,
        database=None,
        derandomize=derandomize,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
