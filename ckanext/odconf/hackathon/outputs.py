"""Outputs of a hackathon project: files uploaded into CKAN's storage.

An upload to a project (``resource_create``, ``resource_update``) is refused
before CKAN stores anything when it is larger than the size limit or its
file name does not end with an accepted format (options
``odconf.hackathon.upload_max_size`` and ``odconf.hackathon.upload_formats``):
no file is written and no resource created. CKAN itself never holds the file
in memory: the web server spools the request body to a temporary file, and
CKAN's uploader copies it to storage in chunks.
"""
from __future__ import annotations

import os
from typing import Any, Mapping, Optional

import ckan.plugins.toolkit as tk
from ckan.lib.uploader import get_max_resource_size
from ckan.types import Context
from werkzeug.datastructures import FileStorage

from ckanext.odconf.hackathon import projects

MAX_SIZE_OPTION = "odconf.hackathon.upload_max_size"
FORMATS_OPTION = "odconf.hackathon.upload_formats"
MEGABYTE = 1024 * 1024


def max_size_mb() -> int:
    """The largest upload to a project, in megabytes: the option, within
    CKAN's own limit for any upload (``ckan.max_resource_size``)."""
    return min(tk.config.get(MAX_SIZE_OPTION), get_max_resource_size())


def accepted_formats() -> list[str]:
    """The file name extensions an upload may have (lower case, no dot)."""
    return [str(name).lower().lstrip(".") for name in tk.config.get(FORMATS_OPTION) or []]


def _size(upload: FileStorage) -> int:
    """The size of an uploaded file in bytes, read by seeking its spooled
    stream (as CKAN's uploader does), without reading it."""
    stream = upload.stream
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position, os.SEEK_SET)
    return size


def upload_errors(upload: FileStorage) -> list[str]:
    """Why an upload is refused (translated messages), if it is."""
    errors = []
    name = upload.filename or ""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    formats = accepted_formats()
    if extension not in formats:
        errors.append(tk._('Files of this format are not accepted ("{name}"). '
                           "Accepted formats: {formats}").format(
            name=name[:100], formats=", ".join(formats)))
    limit = max_size_mb()
    size = _size(upload)
    if size > limit * MEGABYTE:
        errors.append(tk._("The file is too large: {size} MB, the limit is {limit} MB").format(
            size=f"{size / MEGABYTE:.1f}", limit=limit))
    return errors


def _check(package_id: Any, resource: Mapping[str, Any]) -> None:
    upload = resource.get("upload")
    if not isinstance(upload, FileStorage) or not upload or projects.project_package(package_id) is None:
        return
    errors = upload_errors(upload)
    if errors:
        raise tk.ValidationError({"upload": errors})


def before_resource_create(context: Context, resource: dict[str, Any]) -> None:
    """Refuse an upload to a project over the limits (``before_resource_create``)."""
    _check(resource.get("package_id"), resource)


def before_resource_update(
    context: Context, current: Mapping[str, Any], resource: dict[str, Any]
) -> None:
    """Refuse an upload to a project over the limits (``before_resource_update``)."""
    _check(current.get("package_id") or resource.get("package_id"), resource)


def resource_licence(resource: Mapping[str, Any], project: Mapping[str, Any]) -> Optional[str]:
    """The licence of an output: its own, else the project's."""
    return resource.get("license_id") or project.get("license_id")
