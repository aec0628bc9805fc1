"""The review workflow: a reporter submits, an editor of the section approves or sends back."""

from django.urls import reverse
from wagtail.models import Page, TaskState

from newsdesk.news.models import ArticlePage
from newsdesk.news.roles import ensure_newsroom_roles
from newsdesk.newsroom.models import SectionReviewTask
from newsdesk.newsroom.workflow import REVIEW_WORKFLOW

from .admin import article_form, was_refused


def submit(client, reporter, section, slug):
    client.force_login(reporter)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk)),
        article_form(section, title=f"Story {slug}", slug=slug, **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    return ArticlePage.objects.get(slug=slug)


def workflow_action(client, user, page, action, comment=""):
    client.force_login(user)
    task_state = page.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk)),
        {"comment": comment},
    )


def awaiting_review(client, user):
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_newsroom_review_is_the_workflow_of_the_whole_site(roles, home):
    workflow = Page.get_first_root_node().get_workflow()
    assert workflow.name == REVIEW_WORKFLOW
    assert [type(task.specific) for task in workflow.tasks] == [SectionReviewTask]
    ensure_newsroom_roles()
    assert workflow.workflow_tasks.count() == 1, "running it again adds nothing"


def test_a_submitted_article_waits_for_the_editors_of_its_section(
    client, reporter, world, world_editor, offbeat_editor, editor
):
    page = submit(client, reporter, world, "port-story")
    assert page.workflow_in_progress and not page.live

    assert "Story port-story" in awaiting_review(client, world_editor)
    assert "Story port-story" in awaiting_review(client, editor), "editors of every section too"
    assert "Story port-story" not in awaiting_review(client, offbeat_editor)


def test_an_editor_of_another_section_cannot_approve(
    client, reporter, world, offbeat_editor, moderator
):
    page = submit(client, reporter, world, "port-story")
    for outsider in (offbeat_editor, moderator, reporter):
        response = workflow_action(client, outsider, page, "approve")
        assert was_refused(response)
        page.refresh_from_db()
        assert not page.live
        assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_the_sections_editor_approves_and_it_is_published(client, reporter, world, world_editor):
    page = submit(client, reporter, world, "port-story")
    response = workflow_action(client, world_editor, page, "approve")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.live_revision.user == reporter, "the reporter's text is what goes live"
    assert not page.workflow_in_progress


def test_an_article_sent_back_shows_the_editors_comment_to_the_reporter(
    client, reporter, world, world_editor
):
    page = submit(client, reporter, world, "port-story")
    workflow_action(client, world_editor, page, "reject", comment="Needs a second source.")
    page.refresh_from_db()
    assert not page.live and not page.workflow_in_progress

    client.force_login(reporter)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "Changes requested by world-editor" in edit
    assert "Needs a second source." in edit
