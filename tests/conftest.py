import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _fresh_caches_under_mutation_testing() -> None:
    """Mutation testing (make mutation) first records which tests reach which function, in
    one process, then runs each mutant's tests in a process forked from one that has run
    them all. hipmap's caches — the knowledge base, the atlas, the matcher's tables — would
    be filled by whichever test came first and never built again with a mutant in place:
    every mutant in the code that builds them would "survive" untested. Under mutmut each
    test starts with them empty (40-90 ms more per test); a normal run is not touched."""
    if not os.environ.get("MUTANT_UNDER_TEST"):
        return
    from hipmap.geometry.atlas import load_atlas
    from hipmap.knowledge import base, matcher

    base.load_knowledge.cache_clear()
    base._parsed.clear()
    load_atlas.cache_clear()
    matcher._TABLES.clear()
