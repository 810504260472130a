"""The one form of the job pages: the download button (a POST: a link preview or a
prefetch must not spend the one download)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class DownloadForm(FlaskForm):
    """Download the job's file, once."""

    submit = SubmitField(_l("Download the file"))
