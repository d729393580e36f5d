from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from PIL import Image as PILImage


class SafeImageField(WagtailImageField):
    """Wagtail's image field, turning damaged files into a form error instead of a 500.

    Wagtail reads the pixel size by decoding the file; a truncated file or a decompression
    bomb raises from Pillow there, outside Wagtail's own "not an image" handling.
    """

    def to_python(self, data):
        try:
            return super().to_python(data)
        except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as error:
            raise ValidationError(
                _("The file could not be read as an image (%(reason)s). Nothing was saved."),
                params={"reason": error},
                code="invalid_image",
            ) from error


class MuseumImageForm(BaseImageForm):
    """The admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail builds the file field itself (formfield_callback); swap in the safe one.
        if isinstance(self.fields.get("file"), WagtailImageField):
            self.fields["file"].__class__ = SafeImageField
