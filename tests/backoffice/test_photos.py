"""Photos: only real images, not too large, resized, renamed, and shown with their description."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from places.models import Photo

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
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'bonjour'; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        Photo(place=place_a, image=fake, alt_text="x").full_clean()
    assert "n'est pas une image lisible" in str(error.value)


def test_other_image_formats_are_refused(media, place_a):
    with pytest.raises(ValidationError) as error:
        Photo(
            place=place_a, image=image_file("a.gif", image_format="GIF"), alt_text="x"
        ).full_clean()
    assert "Formats acceptés" in str(error.value)


def test_a_too_large_photo_is_refused(media, place_a, settings):
    settings.SOLOZERE_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        Photo(place=place_a, image=image_file(), alt_text="x").full_clean()
    assert "dépasse" in str(error.value)
