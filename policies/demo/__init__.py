"""Demo articles of this section, from policies.yaml beside this file (see home.demo.build)."""

from pathlib import Path

from home.demo.build import build_section

from ..models import PolicyIndexPage, PolicyPage


def build(report) -> None:
    build_section(PolicyIndexPage, PolicyPage, Path(__file__).with_name("policies.yaml"), report)
