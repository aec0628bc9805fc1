from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicLease(models.Model):
    """Who runs a periodic job now: one process per interval, however many look.

    A process takes the lease with one conditional UPDATE (held_until in the
    past → now + interval); the database lets exactly one such update win.
    """

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    held_until = models.DateTimeField(_("held until"))
    holder = models.CharField(_("holder"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("periodic job")

    def __str__(self):
        return self.name
