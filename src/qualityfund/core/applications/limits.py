"""The size limit of a material upload, known before its body is read.

The guide sets a limit per material (``max_size_mb``); the upload handler asks for it as
soon as the request arrives (``core.common.uploads``), before the view or the API has
authenticated anyone. A page upload names its material in the URL, and only someone who
may change the application learns the material's name from a refusal. The API learns the
material from the body, so it takes the largest limit of any guide; the service then
holds the file to its material's own.
"""

from qualityfund.core.common.uploads import MB, UploadLimit
from qualityfund.core.guides.models import Guide

from .models import Application


def material_upload_limit(user, pk: int, key: str) -> UploadLimit | None:
    """The limit of material ``key`` of application ``pk``, for a user who may upload it."""
    application = Application.objects.select_related("guide").filter(pk=pk).first()
    if application is None or not user.has_perm("applications.change_application",
                                                 application):
        return None
    material = next((m for m in application.spec.materials
                     if m.key == key and not m.generated), None)
    return material and UploadLimit(material.max_size_mb * MB, material.title, key)


def largest_material_limit() -> UploadLimit | None:
    """The largest limit of any material of any guide loaded."""
    largest = max((m.max_size_mb for guide in Guide.objects.all()
                   for sub in guide.spec.subprogrammes for m in sub.materials
                   if not m.generated), default=None)
    return largest and UploadLimit(largest * MB, "申报材料", "file")
