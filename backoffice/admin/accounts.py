"""Accounts: coordinators invite animateurs; nobody but operators hands out more power."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from contributions import limits
from places.links import email_link_context
from places.models import AnimateurConsent, Place

from ..roles import ANIMATEURS, is_coordinator
from .base import CheckedIdsMixin

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


class ConsentForm(forms.ModelForm):
    class Meta:
        model = AnimateurConsent
        fields = ["show_name"]


class PasswordResetView(auth_views.PasswordResetView):
    """Django's « mot de passe oublié », its e-mail's link made on SITE_URL, never on the Host
    header of the request that asked for it."""

    @property
    def extra_email_context(self):
        return email_link_context()


admin.site.unregister([User, Group])


@admin.register(Group)
class SolozereGroupAdmin(CheckedIdsMixin, GroupAdmin):
    pass


@admin.register(User)
class SolozereUserAdmin(CheckedIdsMixin, UserAdmin):
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
        public_name = path(
            "public-name/",
            self.admin_site.admin_view(self.public_name_view),
            name="auth_user_public_name",
        )
        return [invite, public_name, *super().get_urls()]

    def public_name_view(self, request):
        """Whether the signed-in person's name shows on their places' pages: their own choice,
        which nobody else makes for them (a coordinator included)."""
        consent = AnimateurConsent.objects.filter(user=request.user).first()
        # An unticked box sends nothing: an empty POST is still an answer (« no »).
        data = request.POST if request.method == "POST" else None
        form = ConsentForm(data, instance=consent)
        if form.is_valid():
            shown = form.cleaned_data["show_name"]
            AnimateurConsent.objects.update_or_create(
                user=request.user, defaults={"show_name": shown}
            )
            self.message_user(
                request,
                _("Votre nom est désormais affiché sur la page de vos lieux.")
                if shown
                else _("Votre nom n'est plus affiché sur les pages publiques."),
                messages.SUCCESS,
            )
            return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Mon nom sur le site public"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/auth/user/public_name.html", context)

    def invite_view(self, request):
        """Create an animateur's account for chosen places and e-mail a set-password link."""
        if not is_coordinator(request.user):
            raise PermissionDenied
        form = InviteForm(request.POST or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            per_hour = settings.SOLOZERE_INVITATIONS_PER_HOUR
            refusal = limits.mail_refusal(request, "invitation", email, per_hour)
            if refusal is None:
                return self._invite(request, form.cleaned_data)
            form.add_error("email", refusal)
            status = 429
        context = {
            **self.admin_site.each_context(request),
            "title": _("Inviter un animateur"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/auth/user/invite.html", context, status=status)

    def _invite(self, request, data):
        user = self._create_animateur(data)
        reset = PasswordResetForm({"email": user.email})
        reset.is_valid()
        reset.save(
            request=request,
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
            extra_email_context={
                **email_link_context(),
                "places": [place.name for place in data["places"]],
            },
        )
        self.message_user(
            request,
            _("Invitation envoyée à %(email)s.") % {"email": user.email},
            messages.SUCCESS,
        )
        return redirect("admin:auth_user_change", user.pk)

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


class LimitedPasswordResetView(PasswordResetView):
    """« Mot de passe oublié », with a limit per visitor address and per mailbox."""

    def form_valid(self, form):
        refusal = limits.mail_refusal(
            self.request,
            "password-reset",
            form.cleaned_data["email"],
            settings.SOLOZERE_PASSWORD_RESETS_PER_HOUR,
        )
        if refusal:
            form.add_error("email", refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
