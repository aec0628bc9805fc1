from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from newsdesk.discussion.services import remove_reader_data

from .forms import DeleteAccountForm, DisplayNameForm
from .models import ReaderProfile, display_name_of


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    profile, _created = ReaderProfile.objects.get_or_create(
        user=request.user, defaults={"display_name": display_name_of(request.user)}
    )
    form = DisplayNameForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your display name is saved."))
        return redirect("accounts:account")
    return render(
        request,
        "accounts/account.html",
        {"form": form, "profile": profile},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    if request.user.has_perm("wagtailadmin.access_admin"):
        # A newsroom account owns articles, revisions and log entries.
        return render(request, "accounts/delete_refused.html", status=403)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        remove_reader_data(
            user, keep_comments=form.cleaned_data["comments"] == DeleteAccountForm.KEEP
        )
        return render(request, "accounts/deleted.html")
    return render(
        request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200
    )
