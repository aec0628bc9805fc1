"""Counts in the site's scripts, in the edition's language and its plural forms.

The text is rendered into the page that loads the script (no extra request,
and the page stays cacheable). A count comes as one form per plural category
of the language; the script picks one with Intl.PluralRules (discussion.js,
live.js). Russian has three forms, English two.
"""

from django import template
from django.utils.html import json_script
from django.utils.translation import ngettext

register = template.Library()

# One number of each plural category of English and Russian (CLDR "one",
# "few", "many"); the script asks which of them its count is like.
SAMPLES = (1, 2, 5)

# The same msgids as the server-rendered counts, so each is translated once.
PLURALS = {
    "comments": lambda n: ngettext("%(counter)s comment", "%(counter)s comments", n),
    "new_updates": lambda n: ngettext("%(counter)s new update", "%(counter)s new updates", n),
}


def plural_forms(name: str) -> dict[str, str]:
    """{"1": "{count} comment", "2": "{count} comments", "5": …} in the active language."""
    return {str(n): PLURALS[name](n) % {"counter": "{count}"} for n in SAMPLES}


@register.simple_tag
def plural_forms_script(element_id="plural-forms"):
    """All the forms, for the scripts of every page: <script type="application/json">."""
    return json_script({name: plural_forms(name) for name in PLURALS}, element_id)
