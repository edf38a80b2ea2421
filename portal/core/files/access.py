"""Who may read a private file: its owner, and whoever a rule an app registers allows.

The apps that attach files to their records register the rules for their staff, e.g. the
filings app lets reviewers read proofs and a department read the attachments of data questions
on its own indicators. Everyone else gets 404 from the download view, never a hint.
"""

_rules = []


def register_reader(rule):
    """Add `rule(user, private_file) -> bool`; usable as a decorator. Rules should be cheap:
    the download view asks them in order until one says yes."""
    _rules.append(rule)
    return rule


def can_read(user, private_file) -> bool:
    """Whether `user` (logged in or not) may download `private_file`."""
    if not user.is_authenticated or not user.is_active:
        return False
    if private_file.owner_id == user.pk:
        return True
    return any(rule(user, private_file) for rule in _rules)
