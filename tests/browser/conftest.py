"""Browser tests: a real CKAN site, Debian's Chromium driven by Playwright, axe-core.

Session fixtures:

- ``browser_site``: a CKAN site with a database of its own (beside the test
  configuration's), loaded with the NODC 2024 programme and its examples
  (``ckan odconf load ... --examples``), plus a private and a draft dataset
  (:data:`HIDDEN`) and an example dataset citing a reference entry
  (:data:`CITING`), served by gunicorn with the demo's settings on a free
  port; its users (:data:`USERS`: a sysadmin, an editor of ``odc``, a plain
  user) each with an API token; ``browser_site.api(...)`` calls its API as one
  of them (or anonymously), e.g. the ``package_search`` a visitor gets.
- ``browser``: Chromium (``/usr/bin/chromium``, never a downloaded build).

Function fixtures:

- ``open_page(path, lang="en", user=None)``: a new page (its own browser
  context, logged in through the user's API token) at ``path`` in ``en`` or
  ``km``; fails on an HTTP error.
- ``check_axe(page)``: runs axe-core, fails on serious or critical violations.
- ``screenshot(page, name)``: a full-page PNG, ``var/screenshots/<name>.png``
  (name it ``<test>-<lang>``).
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import pathlib
from typing import Any, Callable, Iterator, Optional

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests import sites
from tests.conftest import NODC_2024

CHROMIUM = "/usr/bin/chromium"
# No sandbox as root; nothing of Chromium's own phones home on this closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-gpu"]
SCREENSHOTS = sites.ROOT / "var" / "screenshots"
LANGUAGES = ("en", "km")
#: axe-core impacts that fail a page.
BLOCKING_IMPACTS = ("serious", "critical")
#: The site's users' names by role (the editor is an editor of :data:`EDITOR_OF`).
USERS = {
    "sysadmin": "browser-admin",
    "editor": "browser-editor",
    "user": "browser-user",
}
EDITOR_OF = "odc"
PASSWORD = "browser-tests-password"
#: Entries nobody but the editors of ``odc`` and the sysadmin may see.
HIDDEN: dict[str, dict[str, Any]] = {
    "private": dict(name="browser-hidden-private", private=True,
                    title_translated={"en": "Hidden private dataset", "km": "សំណុំទិន្នន័យឯកជនលាក់"}),
    "draft": dict(name="browser-hidden-draft", state="draft",
                  title_translated={"en": "Hidden draft dataset", "km": "សំណុំទិន្នន័យព្រាងលាក់"}),
}
#: A public example dataset and the reference entry it is made to cite (the path
#: home -> theme -> dataset -> reference follows it).
CITING: dict[str, str] = {"dataset": "nodc-2024-example-education-1", "theme": "education",
          "reference": "open-data-survey-2020"}
HIDDEN_COMMON: dict[str, Any] = dict(owner_org=EDITOR_OF, conference="nodc-2024", theme="education",
                     license_id="cc-by", language=["en"],
                     resources=[{"url": "https://example.org/hidden.csv", "format": "CSV",
                                 "name": "Hidden"}])


@dataclasses.dataclass
class Site:
    """A running CKAN site: its address, configuration and users' API tokens."""

    url: str
    ini: pathlib.Path
    tokens: dict[str, str]

    def api(self, action: str, user: Optional[str] = None, /, **data: Any) -> Any:
        """The ``result`` of an action called as ``user`` (a key of :data:`USERS`) or
        anonymously; fails the test on an error answer."""
        return sites.call_action(self.url, action, self.tokens[user] if user else None, **data)

    def page_url(self, path: str, lang: str = "en") -> str:
        """The address of ``path`` in ``lang`` (CKAN puts every language but the default
        one first in the path)."""
        assert lang in LANGUAGES, lang
        assert path.startswith("/"), path
        return self.url + (path if lang == "en" else f"/{lang}{path}")


def _local_api(ini: pathlib.Path, action: str, *params: str) -> Any:
    """The result of ``ckan api action ACTION PARAMS`` (ckanapi, as the site user)."""
    return json.loads(sites.ckan(ini, "api", "action", action, *params, stderr=False))


@pytest.fixture(scope="session")
def browser_site(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The NODC 2024 catalogue with its examples, users and hidden entries, served."""
    base = pathlib.Path(request.config.getoption("ckan_ini")).resolve()
    name = sites.options(base)["sqlalchemy.url"].rsplit("/", 1)[1] + "_browser"
    directory = tmp_path_factory.mktemp("browser-site")
    port = sites.free_port()
    # the hackathon's submission window open (the programme's is in 2024), so that a team
    # submits a project through the web form
    with sites.site(base, name, directory, **{"ckan.site_url": f"http://127.0.0.1:{port}",
                                               "odconf.hackathon.submission_opens": "2000-01-01T00:00:00+07:00",
                                               "odconf.hackathon.submission_closes": "2100-01-01T00:00:00+07:00"}) as ini, \
            concurrent.futures.ThreadPoolExecutor(1) as background:
        # CKAN's JavaScript strings per language, which gunicorn does not write (``ckan
        # run`` does); no database needed, so beside the loading
        js_strings = background.submit(sites.ckan, ini, "translation", "js")
        sites.ckan(ini, "odconf", "load", NODC_2024, "--examples")
        admin = USERS["sysadmin"]
        _local_api(ini, "user_create", f"name={admin}", f"email={admin}@example.org",
                   f"password={PASSWORD}", "sysadmin:true")
        tokens = {"sysadmin": _local_api(ini, "api_token_create", f"user={admin}",
                                         "name=browser-tests")["token"]}
        js_strings.result()
        with sites.serve(ini, port, directory / "gunicorn.log") as url:
            site = Site(url=url, ini=ini, tokens=tokens)
            for role, user_name in USERS.items():
                if role == "sysadmin":
                    continue
                site.api("user_create", "sysadmin", name=user_name, password=PASSWORD,
                         email=f"{user_name}@example.org")
                tokens[role] = site.api("api_token_create", "sysadmin", user=user_name,
                                        name="browser-tests")["token"]
            site.api("organization_member_create", "sysadmin", id=EDITOR_OF,
                     username=USERS["editor"], role="editor")
            for entry in HIDDEN.values():
                site.api("package_create", "sysadmin", **HIDDEN_COMMON, **entry)
            site.api("package_patch", "sysadmin", id=CITING["dataset"], references=[CITING["reference"]])
            yield site


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver (no browser download: see :data:`CHROMIUM`)."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def open_page(browser_site: Site, browser: Browser) -> Iterator[Callable[..., Page]]:
    """``open_page(path, lang="en", user=None)``: a page showing ``path`` in ``lang`` to
    ``user`` (a key of :data:`USERS`, or None for an anonymous visitor)."""
    contexts = []

    def open_(path: str, lang: str = "en", user: Optional[str] = None) -> Page:
        headers = {"Authorization": browser_site.tokens[user]} if user else {}
        context = browser.new_context(extra_http_headers=headers,
                                      locale="km-KH" if lang == "km" else "en-GB",
                                      viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        response = page.goto(browser_site.page_url(path, lang), wait_until="load")
        assert response is not None and response.ok, (
            f"{path} ({lang}): HTTP {response.status if response else 'no answer'}")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    """axe-core, shipped inside axe-playwright-python."""
    return Axe()


def _violation_summary(violation: dict[str, Any]) -> str:
    targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"][:5]]
    return f"{violation['impact']} {violation['id']}: {violation['help']} ({len(violation['nodes'])}x: {targets})"


@pytest.fixture
def check_axe(axe: Axe) -> Callable[[Page], list[dict[str, Any]]]:
    """``check_axe(page)``: fails on serious or critical axe-core violations; returns
    every violation (minor and moderate ones included) for more checks."""

    def check(page: Page) -> list[dict[str, Any]]:
        violations: list[dict[str, Any]] = axe.run(page).response["violations"]
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core on {page.url}:\n" + "\n".join(map(_violation_summary, blocking))
        return violations

    return check


@pytest.fixture
def screenshot() -> Callable[[Page, str], pathlib.Path]:
    """``screenshot(page, name)``: the whole page as ``var/screenshots/<name>.png``."""

    def take(page: Page, name: str) -> pathlib.Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

