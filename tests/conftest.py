import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


#: the code that builds the caches (and what it calls): only its mutants need them emptied
_BUILD_CACHES = ("hipmap.knowledge.", "hipmap.geometry.", "hipmap.core.ids.")


@pytest.fixture(autouse=True)
def _fresh_caches_under_mutation_testing() -> None:
    """Mutation testing (make mutation) first records which tests reach which function, in
    one process, then runs each mutant's tests in a process forked from one that has run
    them all. hipmap's caches — the knowledge base, the atlas, the matcher's tables — would
    be filled by whichever test came first and never built again with a mutant in place:
    every mutant in the code that builds them would "survive" untested. Under mutmut each
    test starts with them empty (40-90 ms more per test) while the associations are recorded
    and for the mutants of the code that fills them; a normal run is not touched."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if mutant != "stats" and not mutant.startswith(_BUILD_CACHES):
        return  # not mutation testing, or a mutant in code that never fills a cache
    from hipmap.geometry.atlas import load_atlas
    from hipmap.knowledge import base, matcher

    base.load_knowledge.cache_clear()
    base._parsed.clear()
    load_atlas.cache_clear()
    matcher._TABLES.clear()
