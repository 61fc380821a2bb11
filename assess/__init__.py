"""assess: customer experience maturity assessments.

Here, besides the version, live the rules that the settings (`config`, a leaf that
imports no other module of the project) and the layers below share: the smallest k that
anonymity allows and the k used unless one is set, and which e-mail addresses the
service takes. Importing any module of
assess loads this package first, so every layer uses them without importing another.
"""

from __future__ import annotations

import re

__version__ = "0.1.0"

# Figures of fewer organisations (or study respondents) than this could identify them:
# ASSESS_BENCHMARK_K may not be set below it, and the domain never shows a group smaller.
K_MINIMUM = 3
# The k used where none is set (ASSESS_BENCHMARK_K's default).
K_DEFAULT = 5

# E-mail addresses as the service accepts them: one plain address, nothing that could
# change a message's headers or add a recipient.
MAX_ADDRESS = 254  # RFC 5321's limit for a path, less its angle brackets
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
EXAMPLE = "name@example.org"


def address_problem(address: str) -> str | None:
    """What is wrong with an e-mail address, in words; None when mail can go to it.

    Only plain addresses (`local@domain`, ASCII; a domain with a dot) are taken: no
    display names, quoted parts, comments or lists, so an address can never carry a
    line break, a second recipient or a header into a message.
    """
    if not address:
        return f"an e-mail address is empty; write one like {EXAMPLE}"
    if len(address) > MAX_ADDRESS:
        return f"an e-mail address may have at most {MAX_ADDRESS} characters"
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in address):
        return f"'{_shown(address)}' holds a space or line break; write one address like {EXAMPLE}"
    if address.count("@") > 1:
        return f"'{_shown(address)}' holds more than one @; write one address like {EXAMPLE}"
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return f"'{_shown(address)}' is not an e-mail address; write one like {EXAMPLE}"
    if len(local) > 64 or not _LOCAL.match(local):
        return (
            f"'{_shown(address)}': the part before @ may hold letters, digits and "
            f"!#$%&'*+/=?^_`{{|}}~.- only (no quotes, commas or brackets)"
        )
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return (
            f"'{_shown(address)}': the part after @ must be a domain like example.org "
            "(letters, digits and hyphens; internationalised names in their xn-- form)"
        )
    return None


def _shown(address: str) -> str:
    return address.encode("unicode_escape").decode("ascii")[:80]
