import pytest


@pytest.fixture(autouse=True)
def _image_form(settings):
    # Production sets this in newsdesk/settings/base.py.
    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = "newsdesk.images.forms.CreditedImageForm"
