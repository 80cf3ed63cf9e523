"""Forms of the files pages: upload, new version, rename, and the bare delete/restore forms."""
from flask_babel import lazy_gettext as _l
from ..core.forms import Form
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class UploadForm(Form):
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))],
                     description=_l("Images, PDFs, office documents, video, audio, 3D models "
                                    "(glTF, GLB, OBJ, PLY, STL) or plain text."))
    description = TextAreaField(_l("Description (optional)"),
                                validators=[Optional(), Length(max=2000)])


class VersionForm(Form):
    file = FileField(_l("New version"), validators=[FileRequired(_l("Choose a file to upload."))])


class RenameForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


class ConfirmForm(Form):
    """Delete and restore: only the CSRF token."""
