"""Keeping routine log lines off the console where a person is waiting for one answer."""

import logging
from contextlib import contextmanager


@contextmanager
def quiet(*logger_names: str, level: int = logging.WARNING):
    """Within the block, the named loggers pass on only records of `level` and above. What the
    code writes elsewhere (the audit table) is unaffected; used by `migrate` and the demo
    loader, whose hundreds of routine lines would bury what `make run` has to say."""
    loggers = [logging.getLogger(name) for name in logger_names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(level, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        for logger, previous in zip(loggers, levels, strict=True):
            logger.setLevel(previous)
