"""The newsroom's review step: approved by whoever may publish the article."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState
from wagtail.permission_policies.pages import PagePermissionPolicy


def may_publish(obj, user) -> bool:
    if isinstance(obj, Page):
        return obj.permissions_for_user(user).can_publish()
    return user.is_superuser


class SectionReviewTask(Task):
    """A review by the editors of the article's section.

    Wagtail's group approval task lets any member of its groups approve any
    page, so an editor of World could approve (and so publish) an Off-beat
    article. Here the approvers are exactly the users who may publish the
    page: its section's editors, the editors of every section and the
    administrators, as Wagtail's page permissions say.
    """

    def user_can_access_editor(self, obj, user):
        return may_publish(obj, user)

    def locked_for_user(self, obj, user):
        # While an article waits for review only its reviewers change it.
        return not may_publish(obj, user)

    def user_can_lock(self, obj, user):
        return may_publish(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not may_publish(obj, user):
            return []
        return [
            ("reject", _("Send back with comments"), True),
            ("approve", _("Approve and publish"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        waiting = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return waiting
        publishable = (
            PagePermissionPolicy()
            .instances_user_has_permission_for(user, "publish")
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )
        return waiting.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=publishable,
        )

    @classmethod
    def get_description(cls):
        return _("The editors who may publish the page approve it")

    class Meta:
        verbose_name = _("section review task")
        verbose_name_plural = _("section review tasks")
