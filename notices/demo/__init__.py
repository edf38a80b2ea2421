"""Demo articles of this section, from notices.yaml beside this file (see home.demo.build)."""

from pathlib import Path

from home.demo.build import build_section

from ..models import NoticeIndexPage, NoticePage


def build(report) -> None:
    build_section(NoticeIndexPage, NoticePage, Path(__file__).with_name("notices.yaml"), report)
