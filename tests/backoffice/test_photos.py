"""Photos: only real images, not too large, resized, renamed, and shown with their description."""

import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from places.models import Photo
from tests.backoffice.test_permissions import form_data
from tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def image_file(name="ma photo de vacances.png", size=(3000, 2000), image_format="PNG"):
    buffer = BytesIO()
    Image.new("RGB", size, "green").save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_photo_is_resized_re_encoded_and_renamed(media, place_a, client):
    """An uploaded photo is resized to 1,600 pixels, re-encoded as JPEG, renamed, and shown with its
    description."""
    photo = Photo(place=place_a, image=image_file(), alt_text="La salle commune")
    photo.full_clean()
    photo.save()
    assert photo.image.name.startswith("lieux/") and photo.image.name.endswith(".jpg")
    assert "vacances" not in photo.image.name
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
    html = client.get(place_a.get_absolute_url()).content.decode()
    assert f'src="/media/{photo.image.name}" alt="La salle commune"' in html


def test_a_file_that_is_not_an_image_is_refused(media, place_a):
    """A file named .jpg that is no image is refused as unreadable."""
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'bonjour'; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        Photo(place=place_a, image=fake, alt_text="x").full_clean()
    assert "n'est pas une image lisible" in str(error.value)


def test_other_image_formats_are_refused(media, place_a):
    """A GIF is refused, naming the formats accepted."""
    with pytest.raises(ValidationError) as error:
        Photo(
            place=place_a, image=image_file("a.gif", image_format="GIF"), alt_text="x"
        ).full_clean()
    assert "Formats acceptés" in str(error.value)


def test_a_too_large_photo_is_refused(media, place_a, settings):
    """A file past the size limit is refused, saying so."""
    settings.SOLOZERE_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        Photo(place=place_a, image=image_file(), alt_text="x").full_clean()
    assert "dépasse" in str(error.value)


def bomb(width=13_000, height=13_000):
    """A real, complete PNG of width × height black pixels (1 bit each) in about 20 KB: 169
    megapixels by default, which took a worker from 92 MB to 964 MB once decoded."""

    def chunk(kind, data):
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
    pixels = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
    return SimpleUploadedFile("bombe.png", png + chunk(b"IEND", b""), content_type="image/png")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(media, place_a, monkeypatch):
    """The size in pixels is read from the header: the image is never decoded."""
    upload = bomb()
    assert upload.size < 50_000
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda image: decoded.append(image))
    with pytest.raises(ValidationError) as error:
        Photo(place=place_a, image=upload, alt_text="x").full_clean()
    assert "50 millions de pixels" in str(error.value)
    assert decoded == []


def test_the_pixel_limit_is_a_setting(media, place_a, settings):
    """The limit in pixels comes from the setting: one pixel over it is refused, exactly at it
    passes."""
    settings.SOLOZERE_PHOTO_MAX_SOURCE_PIXELS = 3000 * 2000 - 1
    with pytest.raises(ValidationError, match="millions de pixels"):
        Photo(place=place_a, image=image_file(size=(3000, 2000)), alt_text="x").full_clean()
    settings.SOLOZERE_PHOTO_MAX_SOURCE_PIXELS = 3000 * 2000
    Photo(place=place_a, image=image_file(size=(3000, 2000)), alt_text="x").full_clean()


def test_a_decompression_bomb_in_the_place_form_is_a_form_error(media, users, login, place_a):
    """Posted as a photo of the place, the bomb gets the form's error, and nothing is saved."""
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    data = form_data(client.get(url)) | {
        "photos-TOTAL_FORMS": "1",
        "photos-0-image": bomb(),
        "photos-0-alt_text": "La salle",
        "photos-0-position": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "millions de pixels" in response.content.decode()
    assert not Photo.objects.exists()
    assert client.post(url, data | {"photos-0-image": image_file()}).status_code == 302
    assert Photo.objects.get().alt_text == "La salle"


def test_a_photo_of_the_place_form_may_show_one_of_its_rooms_only(media, users, login, place_a):
    """The place form's photos offer the place's own rooms; another place's room posted anyway
    is a form error, and nothing is saved."""
    mine = RoomFactory(place=place_a, name="Salle du causse")
    theirs = RoomFactory(name="Salle d'ailleurs")
    client = login(users["animateur_a"])
    url = reverse("admin:places_place_change", args=[place_a.pk])
    page = client.get(url)
    offered = page.context["inline_admin_formsets"][-1].formset.empty_form.fields["room"]
    assert list(offered.queryset) == [mine]
    data = form_data(page) | {
        "photos-TOTAL_FORMS": "1",
        "photos-0-image": image_file(),
        "photos-0-alt_text": "La salle",
        "photos-0-position": "0",
        "photos-0-room": str(theirs.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Photo.objects.exists()
    data |= {"photos-0-image": image_file(), "photos-0-room": str(mine.pk)}
    assert client.post(url, data).status_code == 302
    assert Photo.objects.get().room == mine
