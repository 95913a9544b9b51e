"""What the service is called wherever people read it: page headers, emails, authenticator apps.

Kept outside the web layer so services (which write the emails) and pages say the same thing;
``accredit`` is the package's and command's name, never shown to people.
"""

from __future__ import annotations

SERVICE_NAME = "Work experience accreditation"
