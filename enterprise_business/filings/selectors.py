"""Reading filings: an enterprise's 企业基本信息 and 积分数据填报, the batches it sees, the values
that prefill its forms. Nothing here writes: a GET never creates a filing."""

from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from enterprise_business.imports import registry
from enterprise_business.imports.models import TorchRecord
from portal.core.generations import Generation, Memo, Tokens, rows_of
from portal.core.models import PrivateFile
from portal.core.notifications.selectors import INBOX, latest_messages
from portal.core.prepared import Prepared

from .forms import BUSINESS_AMOUNTS, BUSINESS_FILES, CONTACT_FIELDS, STAFF_COUNTS, STAFF_FILES, TORCH_FIELDS
from .models import OWN_FIELDS, REGISTRY_FIELDS, BasicInfo, Batch, PointsFiling


def basic_info_of(enterprise) -> BasicInfo:
    """The enterprise's basic info; an unsaved one when it has none yet."""
    return BasicInfo.objects.filter(enterprise=enterprise).first() or BasicInfo(enterprise=enterprise)


def basic_info_initial(filing) -> dict:
    """{field: value} of the form, from the working copy."""
    return {name: getattr(filing, name) for name in (*REGISTRY_FIELDS, *OWN_FIELDS)}


# The queries every page of 积分数据填报 makes, compiled once per worker (portal.core.prepared).
APPROVED_BASIC_INFO = Prepared(lambda enterprise_id: BasicInfo.objects.filter(
    enterprise_id=enterprise_id, approved_at__isnull=False).only("pk")[:1], int)
FILINGS_OF = Prepared(lambda enterprise_id: PointsFiling.objects.filter(enterprise_id=enterprise_id), int)
FILING_OF = Prepared(lambda enterprise_id, batch_id: PointsFiling.objects.filter(
    enterprise_id=enterprise_id, batch_id=batch_id), int, int)
# A filing with its enterprise and batch, as the reviewer's page of it reads it.
FILING_FOR_REVIEW = Prepared(lambda pk: PointsFiling.objects.select_related("enterprise", "batch").filter(pk=pk), int)
TORCH_RECORDS = Prepared(lambda credit_code, year, previous: TorchRecord.objects.filter(
    credit_code=credit_code, year__in=[year, previous]), str, int, int)


def has_approved_basic_info(enterprise) -> bool:
    """Whether a version has been approved (points filing is open to it only then, SPEC §5)."""
    return APPROVED_BASIC_INFO.first(enterprise.pk) is not None


def registry_facts(enterprise):
    """The registry's facts of the enterprise (`imports.registry.RegistryFacts`), or None."""
    return registry.lookup(enterprise.credit_code)


# Every batch with its documents, which every enterprise page of 积分数据填报 reads: kept in the
# worker's memory until a batch or a document is saved or deleted (enterprise_business/apps.py).
BATCHES = Memo(Generation("batches:generation"), max_entries=1)


def _batches() -> list[Batch]:
    return list(Batch.objects.select_related("social_security_template", "staff_template", "indicator_guide"))


def visible_batches(today=None) -> list[Batch]:
    """The batches open now or closed (read-only), newest data year first, with their
    templates and guide (fresh copies from the worker's memo: no query once it is current)."""
    today = today or timezone.localdate()
    return [batch for batch in BATCHES.get("all", _batches) if batch.opens_on <= today]


def visible_batch(pk) -> Batch:
    """The visible batch `pk` (see `visible_batches`); Http404 for any other."""
    for batch in visible_batches():
        if str(batch.pk) == str(pk):
            return batch
    raise Http404("没有这个填报批次。")


def filings_by_batch(enterprise, batches) -> dict:
    """{batch id: the enterprise's points filing} for those of `batches` it has started (no
    query when `batches` is empty)."""
    if not batches:
        return {}
    # All of the enterprise's filings (one a batch, a batch a year), kept for the batches asked.
    wanted = {batch.pk for batch in batches}
    return {filing.batch_id: filing for filing in FILINGS_OF.all(enterprise.pk) if filing.batch_id in wanted}


def overview(enterprise, user, messages: int = 10) -> dict:
    """Where the enterprise stands and what waits for it, as its home (/enterprise/) and the
    首页's 企业业务 panel show it: its basic information's state (`basic_info`: status, return
    reason and approval time only) and whether a version is approved, its points filing of each
    batch open now (`open_filings`: [(batch, filing or None)]), and its newest 消息. Each read
    when a template first uses it (the panel reads the filings, /enterprise/ does not; a page
    from the cache reads nothing): three queries at most."""
    basic_info = SimpleLazyObject(lambda: BasicInfo.objects.filter(enterprise=enterprise).only(*OVERVIEW_FIELDS)
                                  .first())
    # One row per enterprise: approved once it has an approval time (has_approved_basic_info).
    approved = SimpleLazyObject(lambda: bool(basic_info) and basic_info.approved_at is not None)

    def open_filings():
        open_batches = [batch for batch in visible_batches() if batch.is_open()] if approved else []
        filings = filings_by_batch(enterprise, open_batches)
        return [(batch, filings.get(batch.pk)) for batch in open_batches]

    return {
        "enterprise": enterprise,
        "basic_info": basic_info,
        "basic_info_approved": approved,
        "open_filings": SimpleLazyObject(open_filings),
        "notices": latest_messages(user, messages),
    }


# The generation of what /enterprise/ shows of each enterprise beyond its account: renewed when
# its basic information or one of its loan applications is saved or deleted (the receivers of
# enterprise_business and finance_products).
HOME = Tokens("enterprise-home")


def renew_home(instance, **kwargs) -> None:
    """A post_save/post_delete receiver of any model with `enterprise_id`."""
    HOME.renew(instance.enterprise_id)


def home_version(enterprise, user) -> str:
    """What the cached part of /enterprise/ is kept under: the enterprise's HOME token, the
    account's 消息 token (INBOX), the banks' rows (their names are shown), the runs' and results'
    rows and the day (which results are visible: a run published, a 公示 begun)."""
    return ":".join((HOME.current(enterprise.pk), INBOX.current(user.pk), rows_of("finance_products.Bank").current(),
                     rows_of("scoring_engine.CalculationRun").current(),
                     rows_of("scoring_engine.EnterpriseResult").current(), timezone.localdate().isoformat()))


# What `overview` shows of the basic information: not the forty columns of the form.
OVERVIEW_FIELDS = ("enterprise_id", "status", "return_reason", "approved_at")


def points_filing_of(enterprise, batch, proofs: bool = True) -> PointsFiling:
    """The enterprise's filing of the batch; an unsaved one when none yet. With `proofs`, its
    proof files are loaded too (see `attach_proofs`), so reading them costs no query."""
    existing = FILING_OF.first(enterprise.pk, batch.pk)
    if existing is None:
        return PointsFiling(enterprise=enterprise, batch=batch)
    return attach_proofs(existing) if proofs else existing


def attach_proofs(filing: PointsFiling) -> PointsFiling:
    """Loads the filing's proof files (`PrivateFile`s of BUSINESS_FILES and STAFF_FILES) in one
    query on the file table, none when it has no proof, and sets them on `filing`, which is
    returned. Not `select_related` over the seven foreign keys: PostgreSQL spends 8–13 ms
    planning that eight-table join, for well under 1 ms of execution (issue 21)."""
    names = (*BUSINESS_FILES, *STAFF_FILES)
    ids = {getattr(filing, f"{name}_id") for name in names} - {None}
    files = PrivateFile.objects.in_bulk(ids) if ids else {}
    for name in names:
        file_id = getattr(filing, f"{name}_id")
        if file_id is not None:
            setattr(filing, name, files.get(file_id))
    return filing


def points_initial(filing) -> dict:
    return {name: getattr(filing, name) for name in (*CONTACT_FIELDS, *BUSINESS_AMOUNTS, *STAFF_COUNTS)}


def torch_figures(enterprise, batch) -> dict | None:
    """{filing field: value (万元)} from the Torch survey when both Y and Y-1 are on file, else None."""
    records = {r.year: r for r in TORCH_RECORDS.all(enterprise.credit_code, batch.data_year, batch.data_year - 1)}
    current, previous = records.get(batch.data_year), records.get(batch.data_year - 1)
    if current is None or previous is None:
        return None
    values = {}
    for source, (this_year, last_year) in TORCH_FIELDS.items():
        values[this_year] = getattr(current, source)
        if last_year:
            values[last_year] = getattr(previous, source)
    return values
