"""Staff pages of the check-item lists."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fairspot.audit.selectors import entries_about
from fairspot.core import actions
from fairspot.core.listing import list_page
from fairspot.items import services
from fairspot.items.forms import CheckItemForm
from fairspot.items.models import ItemType
from fairspot.items.selectors import items_for


@login_required
def item_list(request):
    return list_page(
        request,
        kind="items",
        template="items/item_list.html",
        filters={"type": "item_type", "published": "published"},
        extra={"types": ItemType.choices},
    )


@login_required
def item_detail(request, pk: int):
    item = get_object_or_404(items_for(request.user), pk=pk)
    version = request.GET.get("version")
    shown = item.versions.filter(version=version).first() if version else None
    return render(
        request,
        "items/item_detail.html",
        {
            "item": item,
            "versions": item.versions.select_related("created_by"),
            "shown": shown,
            "history": entries_about(item)[:50],
        },
    )


@login_required
def item_edit(request, pk: int | None = None):
    if not request.user.can_manage:
        raise PermissionDenied(
            _("Only department administrators and the joint-meeting office edit check items.")
        )
    item = get_object_or_404(items_for(request.user), pk=pk) if pk else None
    form = CheckItemForm(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        participating = list(form.cleaned_data.get("participating_departments") or [])

        def save():
            if item is None:
                return services.item_create(
                    actor=request.user,
                    values=values,
                    participating=participating,
                    reason=form.cleaned_data.get("reason", ""),
                )
            effective = values.pop("effective_from")
            return services.item_change(
                actor=request.user,
                item=item,
                values=values,
                participating=participating,
                reason=form.cleaned_data["reason"],
                effective_from=effective,
            )

        done = actions.run_form(form, save, request=request, success=_("Saved."))
        if done:
            return redirect("items:detail", pk=done.value.pk)
    return render(request, "items/item_form.html", {"form": form, "item": item})
