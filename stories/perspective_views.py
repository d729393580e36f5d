"""Public pages of perspectives: the listing and one question with its voices side by side."""

from django.http import Http404
from django.shortcuts import render

from stories.perspectives_public import to_public_perspective, visible_perspectives
from visibility.channels import WEB


def perspective_list(request):
    perspectives = [to_public_perspective(p, WEB) for p in visible_perspectives(WEB)]
    return render(request, "stories/perspective_list.html", {"perspectives": perspectives})


def perspective_detail(request, slug: str):
    perspective = visible_perspectives(WEB).filter(slug=slug).first()
    if perspective is None:
        raise Http404("No such perspective is shown.")
    public = to_public_perspective(perspective, WEB)
    if len(public.positions) < 2:
        # Visibility counts voices; a position row could still be missing in every language.
        raise Http404("No such perspective is shown.")
    return render(request, "stories/perspective.html", {"perspective": public})
