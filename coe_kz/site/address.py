"""The site's own address, for text that names it (how to cite a page, the data package)."""

from django.conf import settings


def site_address(request) -> str:
    """The canonical address where the deploy sets SITE_URL, else the one the reader used:
    a citation example or a package homepage then works from wherever the site is served."""
    if settings.SITE_URL_FROM_ENVIRONMENT:
        return settings.SITE_URL
    return request.build_absolute_uri("/").rstrip("/")
