"""Accounts: coordinators invite animateurs; nobody but operators hands out more power."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from ..models import Place
from ..roles import ANIMATEURS, is_coordinator

OPERATOR_FIELDS = ["is_superuser", "user_permissions", "last_login", "date_joined"]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Courriel"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    places = forms.ModelMultipleChoiceField(
        label=_("Lieux animés"),
        queryset=Place.objects.published(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(_("Un compte existe déjà pour cette adresse."))
        return email


admin.site.unregister(User)


@admin.register(User)
class SolozereUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "is_staff", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else fields + OPERATOR_FIELDS

    def has_change_permission(self, request, obj=None):
        # A coordinator never edits an operator's account.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_urls(self):
        invite = path(
            "invite/", self.admin_site.admin_view(self.invite_view), name="auth_user_invite"
        )
        return [invite, *super().get_urls()]

    def invite_view(self, request):
        """Create an animateur's account for chosen places and e-mail a set-password link."""
        if not is_coordinator(request.user):
            raise PermissionDenied
        form = InviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = self._create_animateur(form.cleaned_data)
            reset = PasswordResetForm({"email": user.email})
            reset.is_valid()
            reset.save(
                request=request,
                use_https=request.is_secure(),
                subject_template_name="registration/invitation_subject.txt",
                email_template_name="registration/invitation_email.txt",
            )
            self.message_user(
                request,
                _("Invitation envoyée à %(email)s.") % {"email": user.email},
                messages.SUCCESS,
            )
            return redirect("admin:auth_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Inviter un animateur"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/auth/user/invite.html", context)

    @transaction.atomic
    def _create_animateur(self, data):
        user = User.objects.create_user(
            username=data["email"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            # A random password nobody knows: the invitation link sets the real one.
            password=get_random_string(40),
            is_staff=True,
        )
        user.groups.add(Group.objects.get(name=ANIMATEURS))
        for place in data["places"]:
            place.animateurs.add(user)
        return user
