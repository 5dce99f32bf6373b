"""Stable many-to-one allocation by deferred acceptance (hospitals/residents).

Model
-----
*Applicants* (students, residents, ...) are placed in *hosts* (classes, courses,
hospitals, ...).  Every id is a ``str``.

* Each applicant submits a strict ranking of the hosts they accept, best first.
  Hosts they leave out are unacceptable to them; the list may be empty.
* Each host has a capacity (an ``int`` >= 0; a host with capacity 0 admits nobody).
* Each host has a *priority* over applicants, given as **tiers**: a list of lists of
  applicant ids, best tier first (``[["ann"], ["bob", "cat"]]`` means ann first, then
  bob and cat with equal priority).  A host may give its own tiers in
  ``host_priorities``; an applicant missing from them is *not acceptable* to that
  host.  A host without its own tiers uses the shared ``global_priority`` (for
  instance class year, or a score turned into tiers with :func:`tiers_from_scores`),
  and then every applicant who ranks the host is acceptable to it.  Without a
  ``global_priority`` every applicant is in one single tier (a pure lottery).
* A pair (applicant, host) is *acceptable* when the applicant ranks the host and the
  host's priority includes the applicant.

Tie-breaking
------------
Ties inside a tier are broken by ``tie_break``: one ordering of **all** applicants
(a permutation, e.g. produced by a verifiable draw), earlier is better.  The same
ordering serves every host (*single tie-breaking*), so every host ends up with a
strict order: first by tier, then by position in ``tie_break``.  ``tie_break`` may be
omitted only when no tier that is used holds more than one applicant.

Algorithm
---------
Gale-Shapley deferred acceptance.  ``side="applicants"`` (default) lets applicants
propose and yields the applicant-optimal stable matching; ``side="hosts"`` lets hosts
propose and yields the host-optimal one.  Given the strict orders the result does not
depend on processing order, so anyone holding the inputs and the draw can reproduce
it.  Internally everything uses integer indices, per-host rank tables and a heap of
admitted ranks per host, so 50 000 applicants x 10 choices run well under a second.

A matching is *stable* when nobody is placed beyond a host's capacity, every placed
pair is acceptable, and there is no *blocking pair*: an applicant and an acceptable
host they prefer to their placement, where the host has a free place or admitted
someone of lower priority.  :func:`check_stability` lists every violation and
:func:`explain` tells an applicant why each host they preferred did not admit them.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

__all__ = [
    "AllocationError",
    "Explanation",
    "HostReason",
    "Instance",
    "MatchingResult",
    "Problem",
    "Side",
    "Statistics",
    "allocate",
    "build_instance",
    "check_stability",
    "explain",
    "solve",
    "tiers_from_scores",
]

type Side = Literal["applicants", "hosts"]
type Tiers = Sequence[Sequence[str]]
type _Ranks = Sequence[int] | Mapping[int, int]


class AllocationError(ValueError):
    """Raised when allocation input is malformed."""


# --------------------------------------------------------------------------- instance


@dataclass(frozen=True, eq=False, repr=False)
class Instance:
    """A validated allocation problem in integer-indexed form; make it with build_instance.

    Applicants and hosts are numbered in the order of ``preferences`` and
    ``capacities``.  For host ``h``: ``host_order[h]`` lists acceptable applicants by
    strict priority (best first), ``host_rank[h][a]`` is applicant ``a``'s position in
    it and ``host_tier[h][a]`` its 0-based tier.  Hosts using the global rule share the
    global tables, so a position there is only meaningful for applicants ranking ``h``.
    The tables are shared, not copied: treat them as read-only.
    """

    applicant_ids: tuple[str, ...]
    host_ids: tuple[str, ...]
    applicant_index: Mapping[str, int]
    host_index: Mapping[str, int]
    preferences: tuple[Sequence[int], ...]
    capacities: tuple[int, ...]
    explicit: tuple[bool, ...]
    host_order: tuple[Sequence[int], ...]
    host_rank: tuple[_Ranks, ...]
    host_tier: tuple[_Ranks, ...]
    proposal_lists: tuple[Sequence[int], ...]

    def __repr__(self) -> str:
        return f"Instance({len(self.applicant_ids)} applicants, {len(self.host_ids)} hosts)"

    def acceptable(self, applicant: int, host: int) -> bool:
        """Whether host (index) finds applicant (index) acceptable, ignoring the applicant."""
        return not self.explicit[host] or applicant in self.host_rank[host]

    @cached_property
    def candidate_ranks(self) -> tuple[list[int], ...]:
        """Per host, sorted priority positions of the applicants in a mutually acceptable pair."""
        ranks: list[list[int]] = [[] for _ in self.host_ids]
        host_rank = self.host_rank
        for a, row in enumerate(self.proposal_lists):
            for h in row:
                ranks[h].append(host_rank[h][a])
        for r in ranks:
            r.sort()
        return tuple(ranks)


def _check_id(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise AllocationError(f"{what} id {value!r} must be a str, got {type(value).__name__}")
    return value


def _tiers_to_index(
    tiers: object, owner: str, applicant_index: Mapping[str, int]
) -> list[list[int]]:
    """Validate tiers (list of lists of applicant ids) and convert them to indices."""
    if isinstance(tiers, str) or not isinstance(tiers, Sequence):
        raise AllocationError(f"{owner} must be a list of tiers (lists of applicant ids)")
    seen: set[int] = set()
    out: list[list[int]] = []
    for t, tier in enumerate(tiers, start=1):
        if isinstance(tier, str) or not isinstance(tier, Sequence):
            raise AllocationError(
                f"{owner}: tier {t} must be a list of applicant ids, not {tier!r}"
            )
        if not tier:
            raise AllocationError(f"{owner}: tier {t} is empty")
        row: list[int] = []
        for x in tier:
            a = applicant_index.get(x) if isinstance(x, str) else None
            if a is None:
                raise AllocationError(f"{owner}: tier {t} lists unknown applicant {x!r}")
            if a in seen:
                raise AllocationError(f"{owner} lists applicant {x!r} more than once")
            seen.add(a)
            row.append(a)
        out.append(row)
    return out


def _break_ties(
    tiers: list[list[int]],
    tb_pos: Sequence[int] | None,
    owner: str,
    applicant_ids: Sequence[str],
) -> list[int]:
    """Flatten tiers into one strict order, breaking ties by tie-break position."""
    order: list[int] = []
    for t, tier in enumerate(tiers, start=1):
        if len(tier) > 1:
            if tb_pos is None:
                names = ", ".join(repr(applicant_ids[a]) for a in tier[:3])
                raise AllocationError(
                    f"{owner}: tier {t} ties {len(tier)} applicants ({names}, ...)"
                    " but no tie_break was given"
                )
            order.extend(sorted(tier, key=tb_pos.__getitem__))
        else:
            order.extend(tier)
    return order


def _tie_break_positions(tie_break: Sequence[str], applicant_index: Mapping[str, int]) -> list[int]:
    """Validate that tie_break is a permutation of the applicants; return position per index."""
    if isinstance(tie_break, str) or not isinstance(tie_break, Sequence):
        raise AllocationError("tie_break must be a list of applicant ids")
    n = len(applicant_index)
    pos = [-1] * n
    for i, x in enumerate(tie_break):
        a = applicant_index.get(x) if isinstance(x, str) else None
        if a is None:
            raise AllocationError(
                f"tie_break is not a permutation of the applicants: unknown applicant {x!r}"
            )
        if pos[a] != -1:
            raise AllocationError(
                f"tie_break is not a permutation of the applicants: {x!r} appears twice"
            )
        pos[a] = i
    if len(tie_break) != n:
        missing = next(x for x, a in applicant_index.items() if pos[a] == -1)
        raise AllocationError(
            f"tie_break is not a permutation of the applicants: {missing!r} is missing"
        )
    return pos


def _unknown_or_bad_host(
    applicant: str, row: Sequence[object], host_index: Mapping[str, int]
) -> str:
    for i, h in enumerate(row, start=1):
        if not isinstance(h, str):
            return f"applicant {applicant!r}: choice {i} {h!r} is not a str host id"
        if h not in host_index:
            return f"applicant {applicant!r} ranks unknown host {h!r} (choice {i})"
    return f"applicant {applicant!r}: invalid preference list"  # pragma: no cover


def _duplicate_host(applicant: str, row: Sequence[int], host_ids: Sequence[str]) -> str:
    seen: set[int] = set()
    for h in row:
        if h in seen:
            return f"applicant {applicant!r} ranks host {host_ids[h]!r} more than once"
        seen.add(h)
    return f"applicant {applicant!r} ranks a host more than once"  # pragma: no cover


def build_instance(
    preferences: Mapping[str, Sequence[str]],
    capacities: Mapping[str, int],
    *,
    host_priorities: Mapping[str, Tiers] | None = None,
    global_priority: Tiers | None = None,
    tie_break: Sequence[str] | None = None,
) -> Instance:
    """Validate the inputs and build an integer-indexed Instance (raises AllocationError)."""
    # Hosts.
    host_ids = tuple(capacities)
    host_index = {_check_id(h, "host"): i for i, h in enumerate(host_ids)}
    caps: list[int] = []
    for h, c in capacities.items():
        if isinstance(c, bool) or not isinstance(c, int):
            raise AllocationError(f"capacity of host {h!r} must be an int, got {c!r}")
        if c < 0:
            raise AllocationError(f"host {h!r} has negative capacity {c}")
        caps.append(c)

    # Applicants and their rankings.
    applicant_ids = tuple(preferences)
    applicant_index = {_check_id(a, "applicant"): i for i, a in enumerate(applicant_ids)}
    prefs: list[Sequence[int]] = []
    append = prefs.append
    for a, row in preferences.items():
        if isinstance(row, str) or not isinstance(row, Sequence):
            raise AllocationError(f"applicant {a!r}: preferences must be a list of host ids")
        try:
            idx = [host_index[h] for h in row]
        except (KeyError, TypeError):
            raise AllocationError(_unknown_or_bad_host(a, row, host_index)) from None
        if len(set(idx)) != len(idx):
            raise AllocationError(_duplicate_host(a, idx, host_ids))
        append(idx)

    tb_pos = None if tie_break is None else _tie_break_positions(tie_break, applicant_index)

    # Explicit host priorities.
    m = len(host_ids)
    explicit = [False] * m
    host_order: list[Sequence[int]] = [()] * m
    host_rank: list[_Ranks] = [()] * m
    host_tier: list[_Ranks] = [()] * m
    for h, tiers in (host_priorities or {}).items():
        hi = host_index.get(h) if isinstance(h, str) else None
        if hi is None:
            raise AllocationError(f"host_priorities given for unknown host {h!r}")
        owner = f"priority of host {h!r}"
        tier_idx = _tiers_to_index(tiers, owner, applicant_index)
        order = _break_ties(tier_idx, tb_pos, owner, applicant_ids)
        explicit[hi] = True
        host_order[hi] = order
        host_rank[hi] = {a: r for r, a in enumerate(order)}
        host_tier[hi] = {a: t for t, tier in enumerate(tier_idx) for a in tier}

    # Global rule for the other hosts.
    if not all(explicit):
        g_order, g_rank, g_tier = _global_tables(
            global_priority, tb_pos, applicant_index, applicant_ids
        )
        for hi in range(m):
            if not explicit[hi]:
                host_order[hi] = g_order
                host_rank[hi] = g_rank
                host_tier[hi] = g_tier

    # Proposal lists: rankings without hosts whose own priority excludes the applicant.
    if any(explicit):
        ranks = host_rank
        proposal: list[Sequence[int]] = [
            [h for h in row if not explicit[h] or a in ranks[h]] for a, row in enumerate(prefs)
        ]
    else:
        proposal = prefs
    return Instance(
        applicant_ids=applicant_ids,
        host_ids=host_ids,
        applicant_index=applicant_index,
        host_index=host_index,
        preferences=tuple(prefs),
        capacities=tuple(caps),
        explicit=tuple(explicit),
        host_order=tuple(host_order),
        host_rank=tuple(host_rank),
        host_tier=tuple(host_tier),
        proposal_lists=tuple(proposal),
    )


def _global_tables(
    global_priority: Tiers | None,
    tb_pos: list[int] | None,
    applicant_index: Mapping[str, int],
    applicant_ids: Sequence[str],
) -> tuple[list[int], list[int], list[int]]:
    """Return (order, rank, tier) of the global priority after tie-breaking."""
    n = len(applicant_ids)
    if global_priority is None:
        if tb_pos is None:
            if n > 1:
                raise AllocationError(
                    "some hosts have no priority of their own, so global_priority"
                    " or tie_break is required"
                )
            tb_pos = [0] * n
        order = [0] * n
        for a, p in enumerate(tb_pos):
            order[p] = a
        return order, tb_pos, [0] * n
    tier_idx = _tiers_to_index(global_priority, "global priority", applicant_index)
    tier = [-1] * n
    for t, members in enumerate(tier_idx):
        for a in members:
            tier[a] = t
    if -1 in tier:
        missing = applicant_ids[tier.index(-1)]
        raise AllocationError(f"global priority does not list applicant {missing!r}")
    if tb_pos is None:
        order = _break_ties(tier_idx, None, "global priority", applicant_ids)
    else:
        buckets: list[list[int]] = [[] for _ in tier_idx]
        by_draw = [0] * n
        for a, p in enumerate(tb_pos):
            by_draw[p] = a
        for a in by_draw:
            buckets[tier[a]].append(a)
        order = [a for b in buckets for a in b]
    rank = [0] * n
    for r, a in enumerate(order):
        rank[a] = r
    return order, rank, tier


def tiers_from_scores(
    scores: Mapping[str, float], *, higher_is_better: bool = True
) -> list[list[str]]:
    """Group applicants with equal scores into priority tiers, best tier first."""
    groups: dict[float, list[str]] = {}
    for a, s in scores.items():
        groups.setdefault(s, []).append(a)
    return [groups[s] for s in sorted(groups, reverse=higher_is_better)]


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class Statistics:
    """Summary figures of a matching; shares are fractions of all applicants."""

    applicants: int
    placed: int
    unplaced: int
    seats: int
    first_choice: int
    top3: int
    share_first_choice: float
    share_top3: float
    choice_counts: tuple[int, ...]
    """choice_counts[k]: number of applicants placed at their (k+1)-th choice."""


@dataclass(frozen=True, eq=False)
class MatchingResult:
    """Outcome of solve: applicant -> host (None if unplaced) and host -> admitted applicants."""

    side: Side
    assignment: Mapping[str, str | None]
    admitted: Mapping[str, tuple[str, ...]]
    """Every host's admitted applicants, highest priority first."""
    statistics: Statistics


def _applicant_proposing(inst: Instance) -> list[list[int]]:
    """Applicant-proposing deferred acceptance; returns admitted priority ranks per host."""
    lists = inst.proposal_lists
    ranks = inst.host_rank
    orders = inst.host_order
    caps = inst.capacities
    heaps: list[list[int]] = [[] for _ in caps]
    nxt = [0] * len(lists)
    push = heapq.heappush
    replace = heapq.heapreplace
    for start in range(len(lists)):
        a = start
        while a >= 0:
            row = lists[a]
            i = nxt[a]
            end = len(row)
            displaced = -1
            while i < end:
                h = row[i]
                i += 1
                heap = heaps[h]
                r = ranks[h][a]
                if len(heap) < caps[h]:
                    push(heap, -r)
                    break
                if heap and -heap[0] > r:
                    displaced = orders[h][-replace(heap, -r)]
                    break
            nxt[a] = i
            a = displaced
    return [[-x for x in heap] for heap in heaps]


def _host_proposing(inst: Instance) -> list[list[int]]:
    """Host-proposing deferred acceptance; returns admitted priority ranks per host."""
    n = len(inst.applicant_ids)
    cands = inst.candidate_ranks
    orders = inst.host_order
    caps = inst.capacities
    pos = [{h: i for i, h in enumerate(row)} for row in inst.proposal_lists]
    held = [-1] * n
    held_pos = [0] * n
    count = [0] * len(caps)
    ptr = [0] * len(caps)
    queue = [h for h in range(len(caps) - 1, -1, -1) if caps[h] > 0]
    while queue:
        h = queue.pop()
        cand = cands[h]
        order = orders[h]
        i = ptr[h]
        cap = caps[h]
        while count[h] < cap and i < len(cand):
            a = order[cand[i]]
            i += 1
            p = pos[a][h]
            cur = held[a]
            if cur == -1 or p < held_pos[a]:
                if cur != -1:
                    count[cur] -= 1
                    queue.append(cur)
                held[a] = h
                held_pos[a] = p
                count[h] += 1
        ptr[h] = i
    admitted: list[list[int]] = [[] for _ in caps]
    ranks = inst.host_rank
    for a, h in enumerate(held):
        if h != -1:
            admitted[h].append(ranks[h][a])
    return admitted


def _make_result(inst: Instance, admitted_ranks: list[list[int]], side: Side) -> MatchingResult:
    aids = inst.applicant_ids
    hids = inst.host_ids
    prefs = inst.preferences
    assignment: dict[str, str | None] = dict.fromkeys(aids)
    admitted: dict[str, tuple[str, ...]] = {}
    longest = max((len(row) for row in prefs), default=0)
    counts = [0] * longest
    placed = 0
    for h, ranks in enumerate(admitted_ranks):
        ranks.sort()
        order = inst.host_order[h]
        members = [order[r] for r in ranks]
        hid = hids[h]
        names = tuple([aids[a] for a in members])
        admitted[hid] = names
        for name in names:
            assignment[name] = hid
        for a in members:
            counts[prefs[a].index(h)] += 1
        placed += len(members)
    n = len(aids)
    first = counts[0] if counts else 0
    top3 = sum(counts[:3])
    stats = Statistics(
        applicants=n,
        placed=placed,
        unplaced=n - placed,
        seats=sum(inst.capacities),
        first_choice=first,
        top3=top3,
        share_first_choice=first / n if n else 0.0,
        share_top3=top3 / n if n else 0.0,
        choice_counts=tuple(counts),
    )
    return MatchingResult(side=side, assignment=assignment, admitted=admitted, statistics=stats)


def solve(instance: Instance, side: Side = "applicants") -> MatchingResult:
    """Compute the applicant-optimal (or host-optimal, side="hosts") stable matching."""
    if side == "applicants":
        ranks = _applicant_proposing(instance)
    elif side == "hosts":
        ranks = _host_proposing(instance)
    else:
        raise AllocationError(f"side must be 'applicants' or 'hosts', got {side!r}")
    return _make_result(instance, ranks, side)


def allocate(
    preferences: Mapping[str, Sequence[str]],
    capacities: Mapping[str, int],
    *,
    host_priorities: Mapping[str, Tiers] | None = None,
    global_priority: Tiers | None = None,
    tie_break: Sequence[str] | None = None,
    side: Side = "applicants",
) -> MatchingResult:
    """Build the instance and solve it in one call."""
    inst = build_instance(
        preferences,
        capacities,
        host_priorities=host_priorities,
        global_priority=global_priority,
        tie_break=tie_break,
    )
    return solve(inst, side)


# --------------------------------------------------------------------------- stability

type ProblemKind = Literal[
    "unknown_applicant", "unknown_host", "unacceptable", "over_capacity", "blocking_pair"
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason why an assignment is not a valid stable matching."""

    kind: ProblemKind
    message: str
    applicant: str | None = None
    host: str | None = None

    def __str__(self) -> str:
        return self.message


def check_stability(
    instance: Instance, assignment: Mapping[str, str | None] | MatchingResult
) -> list[Problem]:
    """List every validity/stability problem of an assignment; empty means stable."""
    if isinstance(assignment, MatchingResult):
        assignment = assignment.assignment
    aidx = instance.applicant_index
    hidx = instance.host_index
    hids = instance.host_ids
    caps = instance.capacities
    ranks = instance.host_rank
    problems: list[Problem] = []
    n = len(instance.applicant_ids)
    placed = [-1] * n
    for a_id, h_id in assignment.items():
        a = aidx.get(a_id) if isinstance(a_id, str) else None
        if a is None:
            problems.append(
                Problem(
                    "unknown_applicant",
                    f"assignment names unknown applicant {a_id!r}",
                    applicant=str(a_id),
                    host=h_id,
                )
            )
            continue
        if h_id is None:
            continue
        h = hidx.get(h_id) if isinstance(h_id, str) else None
        if h is None:
            problems.append(
                Problem(
                    "unknown_host",
                    f"applicant {a_id!r} is assigned to unknown host {h_id!r}",
                    applicant=a_id,
                    host=str(h_id),
                )
            )
            continue
        placed[a] = h

    members: list[list[int]] = [[] for _ in hids]
    for a, h in enumerate(placed):
        if h != -1:
            members[h].append(a)

    # Worst admitted priority per host; an unacceptable member counts as worst of all.
    worst = [-1] * len(hids)
    for a, h in enumerate(placed):
        if h == -1:
            continue
        a_id = instance.applicant_ids[a]
        ranks_applicant = h in instance.preferences[a]
        host_accepts = instance.acceptable(a, h)
        if not (ranks_applicant and host_accepts):
            why = (
                f"{a_id!r} did not rank {hids[h]!r}"
                if not ranks_applicant
                else f"{hids[h]!r}'s priority does not include {a_id!r}"
            )
            problems.append(
                Problem(
                    "unacceptable",
                    f"applicant {a_id!r} is assigned to host {hids[h]!r}"
                    f" but the pair is not acceptable: {why}",
                    applicant=a_id,
                    host=hids[h],
                )
            )
            worst[h] = n + 1
        else:
            worst[h] = max(worst[h], ranks[h][a])

    for h, mem in enumerate(members):
        if len(mem) > caps[h]:
            problems.append(
                Problem(
                    "over_capacity",
                    f"host {hids[h]!r} has {len(mem)} applicants assigned but capacity {caps[h]}",
                    host=hids[h],
                )
            )

    for a, row in enumerate(instance.preferences):
        cur = placed[a]
        a_id = instance.applicant_ids[a]
        for h in row:
            if h == cur:
                break
            if caps[h] == 0 or not instance.acceptable(a, h):
                continue
            got = "is unplaced" if cur == -1 else f"got {hids[cur]!r}"
            if len(members[h]) < caps[h]:
                why = f"{hids[h]!r} has a free place ({len(members[h])}/{caps[h]})"
            elif worst[h] > ranks[h][a]:
                low = _lowest_member(instance, h, members[h])
                why = (
                    f"{hids[h]!r} admitted {instance.applicant_ids[low]!r}"
                    f" who has lower priority there"
                )
            else:
                continue
            problems.append(
                Problem(
                    "blocking_pair",
                    f"blocking pair: applicant {a_id!r} {got} but prefers {hids[h]!r}, and {why}",
                    applicant=a_id,
                    host=hids[h],
                )
            )
    return problems


def _lowest_member(inst: Instance, h: int, members: Sequence[int]) -> int:
    """The member of host h with the lowest priority (unacceptable members first)."""
    worst_key = -1
    worst = members[0]
    for b in members:
        r = _pair_rank(inst, h, b)
        key = len(inst.applicant_ids) + 1 if r is None else r
        if key > worst_key:
            worst_key, worst = key, b
    return worst


def _pair_rank(inst: Instance, h: int, a: int) -> int | None:
    """Host h's priority position of applicant a, or None if the pair is not acceptable."""
    if a >= 0 and h in inst.preferences[a] and inst.acceptable(a, h):
        return inst.host_rank[h][a]
    return None


# --------------------------------------------------------------------------- explanations

type ReasonKind = Literal["full", "not_acceptable", "no_capacity", "unstable"]


@dataclass(frozen=True, slots=True)
class HostReason:
    """Why an applicant was not placed at one host they ranked above their placement.

    Positions are 1-based among the host's applicants (those in a mutually acceptable
    pair with it), in its strict priority order; tiers are 1-based.
    """

    host: str
    choice: int
    reason: ReasonKind
    message: str
    capacity: int
    cutoff_applicant: str | None = None
    cutoff_position: int | None = None
    cutoff_tier: int | None = None
    your_position: int | None = None
    your_tier: int | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    """Where an applicant was placed and why each preferred host did not admit them."""

    applicant: str
    host: str | None
    choice: int | None
    reasons: tuple[HostReason, ...]

    @property
    def message(self) -> str:
        """Human-readable multi-line explanation."""
        if self.host is None:
            head = f"{self.applicant} was not placed."
        else:
            head = f"{self.applicant} was placed at {self.host} (choice {self.choice})."
        return "\n".join([head, *(f"- {r.message}" for r in self.reasons)])


def explain(instance: Instance, result: MatchingResult, applicant: str) -> Explanation:
    """Explain an applicant's placement and every higher-ranked host that did not admit them."""
    a = instance.applicant_index.get(applicant)
    if a is None:
        raise AllocationError(f"unknown applicant {applicant!r}")
    got = result.assignment.get(applicant)
    h_got = None if got is None else instance.host_index.get(got)
    row = instance.preferences[a]
    choice = row.index(h_got) + 1 if h_got is not None and h_got in row else None
    reasons: list[HostReason] = []
    for pos, h in enumerate(row, start=1):
        if h == h_got:
            break
        reasons.append(_host_reason(instance, result, a, h, pos))
    return Explanation(applicant=applicant, host=got, choice=choice, reasons=tuple(reasons))


def _host_reason(inst: Instance, result: MatchingResult, a: int, h: int, choice: int) -> HostReason:
    hid = inst.host_ids[h]
    cap = inst.capacities[h]
    if cap == 0:
        return HostReason(hid, choice, "no_capacity", f"{hid} (choice {choice}) had no places", cap)
    if not inst.acceptable(a, h):
        return HostReason(
            hid,
            choice,
            "not_acceptable",
            f"{hid} (choice {choice}): you were not acceptable there"
            " (its priority list does not include you)",
            cap,
        )
    cand = inst.candidate_ranks[h]
    my_rank = inst.host_rank[h][a]
    my_pos = bisect_left(cand, my_rank) + 1
    my_tier = inst.host_tier[h][a] + 1
    admitted = result.admitted.get(hid, ())
    if len(admitted) < cap:
        return HostReason(
            hid,
            choice,
            "unstable",
            f"{hid} (choice {choice}) still had a free place"
            f" ({len(admitted)}/{cap}): this result is not stable",
            cap,
            your_position=my_pos,
            your_tier=my_tier,
        )
    last = admitted[-1]
    b = inst.applicant_index.get(last, -1)
    b_rank = _pair_rank(inst, h, b)
    if b_rank is None or b_rank > my_rank:
        return HostReason(
            hid,
            choice,
            "unstable",
            f"{hid} (choice {choice}) admitted {last}, who has lower priority"
            " than you: this result is not stable",
            cap,
            cutoff_applicant=last,
            your_position=my_pos,
            your_tier=my_tier,
        )
    cut_pos = bisect_left(cand, b_rank) + 1
    cut_tier = inst.host_tier[h][b] + 1
    tie = (
        " (same priority tier as you: decided by the tie-break draw)"
        if cut_tier == my_tier
        else f" (priority tier {cut_tier}; yours is {my_tier})"
    )
    return HostReason(
        hid,
        choice,
        "full",
        f"{hid} (choice {choice}) was full ({cap} places) with applicants of higher priority;"
        f" the last admitted, {last}, was number {cut_pos} of its {len(cand)} applicants"
        f" in priority order{tie}; you were number {my_pos}",
        cap,
        cutoff_applicant=last,
        cutoff_position=cut_pos,
        cutoff_tier=cut_tier,
        your_position=my_pos,
        your_tier=my_tier,
    )
