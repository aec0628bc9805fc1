"""The newsroom's review workflow: a reporter submits, an editor of the section decides."""

from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

from .models import SectionReviewTask

REVIEW_WORKFLOW = "Newsroom review"
REVIEW_TASK = "Editor review"
# The workflow Wagtail's first migrations assign to the whole tree.
WAGTAILS_SEEDED_WORKFLOW = "Moderators approval"


def ensure_review_workflow() -> Workflow:
    """Create the review workflow and put it on the page tree, unless an admin chose another."""
    task = SectionReviewTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = SectionReviewTask.objects.create(name=REVIEW_TASK)
    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW)
    if not workflow.workflow_tasks.exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    root = Page.get_first_root_node()
    if root is not None:
        assigned = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
        if assigned is None:
            WorkflowPage.objects.create(page=root, workflow=workflow)
        elif assigned.workflow.name == WAGTAILS_SEEDED_WORKFLOW:
            assigned.workflow = workflow
            assigned.save(update_fields=["workflow"])
    return workflow
