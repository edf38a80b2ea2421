"""Solving the slider check in the browser the way a person does: with the mouse.

The test reads the gap's position from the server's cache (the live server runs in
this process), then drags the handle there in small, timed steps."""

import re

from django.core.cache import cache
from playwright.sync_api import expect


def drag_slider(page, container):
    slider = page.locator(container)
    background = slider.locator(".slider-background")
    expect(background).to_have_attribute("src", re.compile(r"/accounts/captcha/.+/background\.png"))
    challenge_id = background.get_attribute("src").split("/")[3]
    left = cache.get(f"captcha:{challenge_id}")["left"]

    handle = slider.locator(".slider-handle")
    # The picture appears above the track when its challenge arrives, which on a busy machine can
    # be after the page has scrolled the handle into view: the handle may then sit below the
    # viewport, where the mouse cannot reach it.
    handle.scroll_into_view_if_needed()
    expect(handle).to_be_in_viewport()
    box = handle.bounding_box()
    track_range, max_left = slider.evaluate(
        "el => [el.querySelector('.slider-track').clientWidth - el.querySelector('.slider-handle').offsetWidth,"
        " Number(el.querySelector('.slider-handle').getAttribute('aria-valuemax'))]"
    )
    distance = left * track_range / max_left
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    steps = 15
    for step in range(1, steps + 1):
        page.mouse.move(x + distance * step / steps, y + (step % 3) - 1)
        page.wait_for_timeout(25)
    page.mouse.up()
    # The answer comes from the live server, which a loaded two-core machine may keep busy for
    # more than Playwright's default five seconds.
    expect(slider.locator(".slider-status")).to_have_text("验证通过", timeout=15_000)
