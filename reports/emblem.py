"""The municipality's coat of arms or logo for the report cover: a PNG or an SVG, checked by its content.

A PNG must be a whole, decodable image of bounded size; an SVG must be plain drawing: no DTD or entities,
no scripts, no event attributes, no foreign content and no reference to anything outside the file (an href
or url() that is not a "#fragment"), with a bounded number of elements. Anything else is refused with a
Swedish message and nothing is stored.
"""

import re
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 1024 * 1024
MAX_SIDE = 4000  # pixels of a PNG
MAX_ELEMENTS = 5000  # elements of an SVG
PNG, SVG = "image/png", "image/svg+xml"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
FORBIDDEN_TAGS = {
    "script",
    "foreignObject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
}
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def checked(upload):
    """(bytes, content type) of an uploaded emblem, or ValidationError. Reads at most MAX_BYTES + 1 bytes."""
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The emblem may be at most 1 MB."))
    if data.startswith(PNG_MAGIC):
        _check_png(data)
        return data, PNG
    _check_svg(data)
    return data, SVG


def _check_png(data):
    try:
        with Image.open(BytesIO(data)) as image:
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise ValidationError(_("The emblem may be at most 4000 × 4000 pixels."))
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("The PNG file is damaged or not a PNG image.")) from None


def _check_svg(data):
    not_an_image = ValidationError(_("The emblem must be a PNG or SVG image."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise not_an_image from None
    if "<svg" not in text:
        raise not_an_image
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise ValidationError(_("The SVG file may not contain a DOCTYPE or entities."))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise ValidationError(_("The SVG file is not well-formed XML.")) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise not_an_image
    unsafe = ValidationError(
        _("The SVG file may not contain scripts, event attributes or references to other files.")
    )
    for count, element in enumerate(root.iter(), start=1):
        if count > MAX_ELEMENTS:
            raise ValidationError(_("The SVG file has too many elements."))
        if not isinstance(element.tag, str):
            if isinstance(element, etree._ProcessingInstruction):
                raise unsafe
            continue  # a comment
        tag = etree.QName(element).localname
        if tag in FORBIDDEN_TAGS or etree.QName(element).namespace not in (SVG_NS, None):
            raise unsafe
        if tag == "style" and ("@import" in (element.text or "") or EXTERNAL_URL.search(element.text or "")):
            raise unsafe
        for name, value in element.attrib.items():
            local = etree.QName(name).localname.lower()
            if local.startswith("on"):
                raise unsafe
            if (local == "href" or name == XLINK_HREF) and not value.strip().startswith("#"):
                raise unsafe
            if EXTERNAL_URL.search(value) or "@import" in value:
                raise unsafe
