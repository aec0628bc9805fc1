"""Small factories for live-coverage tests (also used by the desk process of the server tests)."""

from newsdesk.live.models import LiveBlogPage, LiveBlogStatus


def make_live_blog(section, *, title="Live: Storm Orla", publish=True, **fields):
    fields.setdefault("status", LiveBlogStatus.LIVE)
    blog = LiveBlogPage(title=title, live=False, **fields)
    section.add_child(instance=blog)
    revision = blog.save_revision()
    if publish:
        revision.publish()
    blog.refresh_from_db()
    return blog
