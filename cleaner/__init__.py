"""cleaner: strip boilerplate from scraped article text, and say what was removed and why.

    import cleaner
    result = cleaner.clean(text)
    result.text, result.removals
"""
__version__ = "0.1.0"

from .engine import clean  # noqa: E402  (after __version__, which ruleset reads)
from .errors import CleanerError, RuleError  # noqa: E402
from .html import clean_html  # noqa: E402
from .model import Removal, Result  # noqa: E402
from .ruleset import RuleSet, load_rules  # noqa: E402

__all__ = ["clean", "clean_html", "load_rules", "Result", "Removal", "RuleSet", "RuleError", "CleanerError", "__version__"]
