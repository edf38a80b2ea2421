"""The staff's side of ask-and-answer in the Wagtail admin, written once: the list of
questions (pending first), one question with what it is about and the answer form, and the
answer, which goes through `services.answer`. Each kind subclasses `InquiryViewSet` and says
whose questions a user sees (`scope`), who may answer (`can_answer`), and what the page shows
about the question's subject (`subject_template`, `subject_context`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from ..admin import OnlyRoutedViews, OwnLayoutInspectView
from ..jobs.exports import ExportAsJobMixin
from ..workflow import TransitionError
from . import services


class NoEditing:
    """Questions are answered, never added, edited or deleted in the admin."""

    def get_edit_url(self, *args):
        return None

    def get_delete_url(self, *args):
        return None

    def get_add_url(self):
        return None


class InquiryIndexView(NoEditing, ExportAsJobMixin, IndexView):
    inquiries = None  # the InquiryViewSet

    def get_base_queryset(self):
        return self.inquiries.scope(self.request.user)


class InquiryInspectView(NoEditing, OwnLayoutInspectView):
    template_name = "core/admin/inquiry.html"
    inquiries = None  # the InquiryViewSet

    def get_page_title(self):
        return self.inquiries.menu_label

    def get_object(self, queryset=None):
        inquiry = self.inquiries.scope(self.request.user).select_related("attachment", "answered_by").filter(
            pk=self.pk).first()
        if inquiry is None:
            raise Http404
        return inquiry

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inquiry = self.object
        context.update(
            inquiry=inquiry,
            subject_template=self.inquiries.subject_template,
            details_template=self.inquiries.details_template,
            text_heading=self.inquiries.text_heading,
            attachment_heading=self.inquiries.attachment_heading,
            answer_url=self.inquiries.get_url_name("answer"),
            can_answer=self.inquiries.can_answer(self.request.user) and not inquiry.answered,
            **self.inquiries.subject_context(inquiry, self.request),
        )
        return context


class InquiryViewSet(OnlyRoutedViews, ModelViewSet):
    index_view_class = InquiryIndexView
    inspect_view_enabled = True
    inspect_view_class = InquiryInspectView
    icon = "help"
    subject_template = ""  # who asked about what, above the text
    details_template = ""  # what staff check before answering, below it
    text_heading = "异议内容"
    attachment_heading = "附件"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(inquiries=self, **kwargs)

    def scope(self, user):
        """The questions `user` may see and answer."""
        raise NotImplementedError

    def can_answer(self, user) -> bool:
        raise NotImplementedError

    def subject_context(self, inquiry, request) -> dict:
        return {}

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("answer/<int:pk>/", self.answer_view, name="answer"),
        ]

    @property
    def answer_view(self):
        viewset = self

        @require_POST
        def answer(request, pk):
            if not viewset.can_answer(request.user):
                raise PermissionDenied
            try:
                services.answer(viewset.scope(request.user), pk, request.user, request.POST.get("answer", ""))
            except viewset.model.DoesNotExist:
                raise Http404 from None
            except TransitionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "已答复，并已通过短信和消息通知企业。")
            return redirect(viewset.get_url_name("inspect"), pk)

        return answer
