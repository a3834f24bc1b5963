"""Safe HTTP fetching for the judol scanner: fetch profiles, limits and the SSRF guard."""

from .errors import BadURL, BlockedTarget, FetchError, FetchFailed
from .fetcher import Fetcher, FetchResult, Limits, same_host
from .guard import is_public, parse_target
from .profiles import (
    BROWSER,
    GOOGLE_REFERRER,
    GOOGLEBOT_SMARTPHONE,
    HOME_PROFILES,
    PAGE_PROFILES,
    PROFILES,
    Profile,
)

__all__ = [
    "BadURL",
    "BlockedTarget",
    "FetchError",
    "FetchFailed",
    "Fetcher",
    "FetchResult",
    "Limits",
    "same_host",
    "is_public",
    "parse_target",
    "HOME_PROFILES",
    "PAGE_PROFILES",
    "PROFILES",
    "Profile",
    "BROWSER",
    "GOOGLE_REFERRER",
    "GOOGLEBOT_SMARTPHONE",
]
