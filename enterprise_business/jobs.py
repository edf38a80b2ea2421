"""The kinds of background job this app hands to the workers (found by portal.core's
autodiscovery of `jobs` modules): 填报提醒 ("desk.remind")."""

from enterprise_business.desk import jobs as desk_jobs  # noqa: F401 - registers "desk.remind"
