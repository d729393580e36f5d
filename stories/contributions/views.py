"""The public pages of the debate arena: questions, the contribution form, a thank-you page.

A POST passes these guards in order, each with a clear answer and none losing what the
visitor typed when it can be read at all:

1. Size: a body over ``CONTRIBUTION_MAX_BODY_BYTES`` gets 413 before a byte of it is read
   (so before the CSRF check, which would read it).
2. Encoding: a body that is not UTF-8 (or declares another charset) is refused with 400.
3. CSRF, then the rate limit per client (429), then the honeypot (a bot is thanked and
   nothing is kept), then the form's own validation.
"""

from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from stories.contributions.clients import RateLimit, client_key
from stories.contributions.conf import contribution_settings
from stories.contributions.forms import ContributionForm
from stories.contributions.public import (
    to_public_contribution,
    to_public_question,
    visible_contributions,
)
from stories.models import Contribution, Question
from visibility.channels import WEB

PAGE_SIZE = 30
ENCODING_ERROR = "_contribution_encoding_error"


@require_safe
def question_list(request):
    """Every published question, in the visitor's language where it has one."""
    language = get_language()
    questions = [
        to_public_question(question, language)
        for question in Question.objects.visible_in(WEB).prefetch_related("texts__locale")
    ]
    return render(
        request,
        "stories/contributions/question_list.html",
        {"title": _("Questions to visitors"), "questions": questions},
    )


@csrf_exempt  # only so the size guard runs first: _question_page is csrf_protect-ed
@require_http_methods(["GET", "HEAD", "POST"])
def question_page(request, slug):
    if request.method == "POST":
        refused = _refuse_oversized(request)
        if refused:
            return refused
        setattr(request, ENCODING_ERROR, not _is_utf8_form(request))
    return _question_page(request, slug)


@csrf_protect
@never_cache
def _question_page(request, slug):
    question = get_object_or_404(Question.objects.visible_in(WEB), slug=slug)
    status = 200
    form = None
    if request.method == "POST" and question.accepts_contributions:
        encoding_error = getattr(request, ENCODING_ERROR, False)
        form = ContributionForm(_lenient_data(request) if encoding_error else request.POST)
        limit = RateLimit(client_key(request))
        if encoding_error:
            form.add_error(
                None,
                _(
                    "Your answer could not be read: it was not sent as UTF-8 text. Check what "
                    "you wrote below and send it again."
                ),
            )
            status = 400
        elif limit.exceeded():
            form.add_error(
                None,
                _(
                    "Many answers were sent from your connection in a short time, so this one "
                    "was not received. Your text is kept below: please try again later."
                ),
            )
            status = 429
        elif form.honeypot_filled:
            # Bots are thanked like people, so they learn nothing; nothing is kept.
            limit.hit()
            return redirect("stories:question_thanks", slug=question.slug)
        elif form.is_valid():
            limit.hit()
            Contribution.objects.create(
                question=question,
                text=form.cleaned_data["text"],
                display_name=form.cleaned_data["display_name"],
                language=form.cleaned_data["language"],
                client_key=client_key(request),
            )
            return redirect("stories:question_thanks", slug=question.slug)
    elif request.method == "POST":
        status = 403  # closed meanwhile: the page says so, the form is gone
    if form is None and question.accepts_contributions:
        form = ContributionForm()
    page = Paginator(visible_contributions(question), PAGE_SIZE).get_page(request.GET.get("page"))
    public = to_public_question(question, get_language())
    context = {
        "title": public.text,
        "question": public,
        "perspective_url": _perspective_url(public.perspective_slug),
        "form": form,
        "contributions": [to_public_contribution(c) for c in page],
        "page_obj": page,
        "submitted_while_closed": status == 403,
    }
    response = render(request, "stories/contributions/question.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(limit.retry_after)
    return response


@require_safe
def question_thanks(request, slug):
    question = get_object_or_404(Question.objects.visible_in(WEB), slug=slug)
    public = to_public_question(question, get_language())
    return render(
        request,
        "stories/contributions/thanks.html",
        {"title": _("Thank you"), "question": public},
    )


def _refuse_oversized(request):
    """A 413 page when the body is larger than a contribution can be, read or not."""
    limit = contribution_settings().max_body_bytes
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = limit + 1
    if length <= limit:
        try:
            request.body  # noqa: B018 (reads, and caches, at most `limit` bytes)
        except RequestDataTooBig:
            length = limit + 1
        else:
            return None
    return render(
        request,
        "stories/contributions/too_large.html",
        {"title": _("Your answer is too large"), "limit_kb": limit // 1024},
        status=413,
    )


def _is_utf8_form(request) -> bool:
    """Whether the body is UTF-8 throughout, as the form asks (accept-charset="utf-8")."""
    charset = (request.content_params or {}).get("charset", "utf-8").strip().lower()
    if charset not in ("utf-8", "utf8"):
        return False
    body = request.body
    if request.content_type == "application/x-www-form-urlencoded":
        body = unquote_to_bytes(body.replace(b"+", b" "))
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _lenient_data(request) -> QueryDict:
    """The form data of a badly encoded request, undecodable bytes replaced (U+FFFD), so
    the form can show the visitor what arrived."""
    if request.content_type == "application/x-www-form-urlencoded":
        # Django itself refuses urlencoded bodies that declare another charset.
        return QueryDict(request.body.decode("utf-8", "replace"))
    return request.POST


def _perspective_url(slug):
    if not slug:
        return None
    try:
        return reverse("stories:perspective", kwargs={"slug": slug})
    except NoReverseMatch:
        return None
