"""Photos of a place: checked, resized and renamed before they are stored."""

import uuid
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from simple_history.models import HistoricalRecords

from .place import Place
from .room import Room

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


def validate_photo(upload):
    """Only real JPEG, PNG or WebP images of a reasonable size are accepted.

    The size in pixels is read from the file's header (Pillow decodes nothing before it is asked
    to), so a small file declaring a huge image is refused before it can fill the memory.
    """
    if getattr(upload, "_committed", False):
        return  # a stored photo was checked on its way in; its file is not read again
    if upload.size > settings.SOLOZERE_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("La photo dépasse %(size)s Mo.")
            % {"size": settings.SOLOZERE_PHOTO_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            check_pixels(image.size)
            image_format = image.format
            image.verify()
        # verify() reads no pixel: a truncated or corrupt JPEG passes it and fails when decoded.
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    # Pillow says « broken PNG » with a SyntaxError, some decoders with a ValueError.
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible."), code="not_an_image"
        ) from error
    finally:
        upload.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(_("Formats acceptés : JPEG, PNG ou WebP."), code="bad_format")


def check_pixels(size):
    width, height = size
    if width * height > settings.SOLOZERE_PHOTO_MAX_SOURCE_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels():
    limit = settings.SOLOZERE_PHOTO_MAX_SOURCE_PIXELS / 1_000_000
    return ValidationError(
        _("Cette image dépasse %(limit)s millions de pixels : réduisez-la avant de l'envoyer.")
        % {"limit": f"{limit:g}"},
        code="too_many_pixels",
    )


def normalised(upload):
    """The image resized to fit the site, re-encoded as JPEG without its metadata."""
    upload.seek(0)
    with Image.open(upload) as image:
        check_pixels(image.size)  # whoever saves without validating first
        # A JPEG can be decoded straight at a fraction of its size: less memory, same result.
        box = (settings.SOLOZERE_PHOTO_MAX_PIXELS, settings.SOLOZERE_PHOTO_MAX_PIXELS)
        image.draft(None, box)
        image = image.convert("RGB")
        image.thumbnail(box)
        buffer = BytesIO()
        image.save(buffer, format="JPEG", quality=82, optimize=True)
    # A random name: nothing of the uploader's file name reaches the disk or the URL.
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def photo_path(instance, filename):
    return f"lieux/{filename}"


class Photo(models.Model):
    place = models.ForeignKey(
        Place, verbose_name=_("lieu"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=photo_path, validators=[validate_photo])
    alt_text = models.CharField(
        _("description de la photo"),
        max_length=200,
        help_text=_("Ce que montre la photo, pour les personnes qui ne la voient pas."),
    )
    credit = models.CharField(_("crédit"), max_length=150, blank=True)
    room = models.ForeignKey(
        Room,
        verbose_name=_("salle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        help_text=_("La salle du lieu que montre la photo : elle est montrée avec la salle."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["place", "position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            self.image = normalised(self.image)
        super().save(*args, **kwargs)

    def clean(self):
        if self.room_id and self.room.place_id != self.place_id:
            raise ValidationError({"room": _("Cette salle est celle d'un autre lieu.")})
