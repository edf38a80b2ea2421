"""Demo articles of this section, from guides.yaml beside this file (see home.demo.build)."""

from pathlib import Path

from home.demo.build import build_section

from ..models import GuideIndexPage, GuidePage


def build(report) -> None:
    build_section(GuideIndexPage, GuidePage, Path(__file__).with_name("guides.yaml"), report)
