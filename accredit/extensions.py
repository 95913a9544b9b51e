"""Extensions, created unbound and attached to an app in ``create_app``."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from accredit.data.database import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
#: Rate limits on the public pages anyone can hammer (the certificate check), per client address
#: (the real one behind the proxies ACCREDIT_PROXY_HOPS trusts). Counted in Redis when it is
#: configured, so every worker shares the count; in each process's memory otherwise.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
