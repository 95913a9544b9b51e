"""Extensions, created unbound and attached to an app in ``create_app``."""

from flask_login import LoginManager
from flask_wtf import CSRFProtect

from accredit.data.database import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
