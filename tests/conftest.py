import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_sessionstart(session) -> None:
    """Mutation testing (make mutation) forks each mutant's test run from a process that has
    already run the tests once, so hipmap's caches arrive filled: the knowledge base, the
    atlas and the matcher's tables would never be built again with the mutant in place, and
    every mutant in the code that builds them would "survive" untested. Empty them first."""
    if not os.environ.get("MUTANT_UNDER_TEST"):
        return
    from hipmap.geometry.atlas import load_atlas
    from hipmap.knowledge import base, matcher

    base.load_knowledge.cache_clear()
    base._parsed.clear()
    load_atlas.cache_clear()
    matcher._TABLES.clear()
