"""The home page's timeline picture (coe_kz/site/timeline.py): what fits in its bars."""

import pytest
from django.utils import translation

from bodies.models import Standing
from coe_kz.site.timeline import SHORT_LABELS
from treaties.models import TreatyStatus


@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_every_status_has_a_label_no_longer_than_invited_for_a_narrow_bar(language):
    # However many years the picture spans (the curated data's start at 1997 narrowed every
    # bar), a bar wide enough for "Invited" is wide enough for a label, in every language.
    with translation.override(language):
        for code, label in [*TreatyStatus.choices, *Standing.choices]:
            if code != "none":
                assert len(str(SHORT_LABELS.get(code, label))) <= len("Invited"), (code, language)
