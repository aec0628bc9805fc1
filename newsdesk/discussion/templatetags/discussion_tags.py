from urllib.parse import urlencode

from django import template
from django.urls import reverse

from newsdesk.accounts.models import display_name_of
from newsdesk.discussion.services import EDIT_WINDOW
from newsdesk.lib.text import plain_text_to_html

register = template.Library()


@register.filter
def comment_html(text):
    return plain_text_to_html(text)


@register.filter
def commenter_name(user):
    return display_name_of(user)


@register.filter
def editable_at(comment, now):
    return now - comment.created_at <= EDIT_WINDOW


@register.simple_tag
def login_url_back_to(target):
    """Log in, then come back to `target` (allauth only follows our own site's addresses)."""
    return reverse("account_login") + "?" + urlencode({"next": target})


@register.simple_tag
def register_url_back_to(target):
    return reverse("account_signup") + "?" + urlencode({"next": target})
