from django.db import models
from django.utils.translation import gettext_lazy as _


class HourlyReads(models.Model):
    """How many times a page was read in one hour (counted by beacon, written in batches)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(db_index=True)
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("hourly reads")
        constraints = [
            models.UniqueConstraint(fields=["page", "hour"], name="one_row_per_page_hour")
        ]

    def __str__(self):
        return f"{self.page_id} @ {self.hour:%Y-%m-%d %H}: {self.reads}"
