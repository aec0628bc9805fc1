def _section_saved(sender, instance, created, update_fields=None, **kwargs):
    # Revisions and publications save a few bookkeeping columns; only a new
    # section or a new title changes its editors' group.
    if not created and update_fields is not None and "title" not in update_fields:
        return
    from newsdesk.news.roles import ensure_section_editors

    ensure_section_editors(instance)


def connect_section_editors():
    """Each section gets its editors' group as soon as it exists, whoever creates it."""
    from django.db.models.signals import post_save

    from newsdesk.news.models import SectionPage

    post_save.connect(_section_saved, sender=SectionPage, dispatch_uid="section-editors")
