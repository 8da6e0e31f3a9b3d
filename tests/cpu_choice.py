"""Which llama.cpp CPU build the app should pick here, for the tests that check it did."""

from discreet.models.cpu_variants import BASELINE, VARIANTS, cpu_flags, library_path, why_not


def best_here() -> str:
    """What the app should choose: the first built variant this CPU and OS allow."""
    flags = cpu_flags()
    return next(
        v.name
        for v in VARIANTS
        if v.name == BASELINE or (library_path(v).is_file() and not why_not(v, flags))
    )
