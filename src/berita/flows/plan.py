"""Which inputs a run must clean: the pure bookkeeping behind incremental runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from berita.flows.sources import InputRef


@dataclass(frozen=True)
class Fingerprint:
    """An input's name and content hash (None when its bytes could not be read)."""

    ref: InputRef
    source_uri: str
    input_id: str | None


@dataclass
class KnownInputs:
    """What earlier runs (and this one, as it goes) recorded in the inputs ledger."""

    article_of: dict[str, str | None] = field(default_factory=dict)  # input_id -> article_id (None: quarantined)
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (input_id, source_uri) already in the ledger

    def record(self, input_id: str, source_uri: str, article_id: str | None) -> None:
        self.article_of.setdefault(input_id, article_id)
        self.pairs.add((input_id, source_uri))


@dataclass
class BatchPlan:
    to_clean: list[Fingerprint] = field(default_factory=list)  # new content: read, clean, write
    duplicates: list[Fingerprint] = field(default_factory=list)  # known content under a new name
    unreadable: list[Fingerprint] = field(default_factory=list)  # no bytes: quarantined, retried next run
    unchanged: int = 0  # same content under the same name: nothing to do


def plan_batch(fingerprints: list[Fingerprint], known: KnownInputs, pending: set[str]) -> BatchPlan:
    """Sort a batch's inputs. ``pending`` holds ids being cleaned in this run (updated here).

    >>> same = [Fingerprint(InputRef("a.txt"), "a.txt", "x1"), Fingerprint(InputRef("b.txt"), "b.txt", "x1")]
    >>> plan = plan_batch(same, KnownInputs(), set())
    >>> [f.source_uri for f in plan.to_clean], [f.source_uri for f in plan.duplicates]
    (['a.txt'], ['b.txt'])
    """
    plan = BatchPlan()
    for fp in fingerprints:
        if fp.input_id is None:
            plan.unreadable.append(fp)
        elif (fp.input_id, fp.source_uri) in known.pairs:
            plan.unchanged += 1
        elif fp.input_id in known.article_of or fp.input_id in pending:
            plan.duplicates.append(fp)
        else:
            pending.add(fp.input_id)
            plan.to_clean.append(fp)
    return plan
