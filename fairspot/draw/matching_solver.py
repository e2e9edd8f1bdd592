"""Minimum-cost assignment of inspectors to slots, with an exact integer optimality certificate.

The only module of the engine that uses numpy/scipy (imported by callers lazily). The model is a
network flow: source → inspector (capacity) → (inspector, task) pair (capacity 1, so nobody fills two
slots of one team) → slot (demand 1). As an LP over x[e] for each eligible (inspector, task, slot)::

    min Σ c_e x_e   s.t.   Σ_{e at slot j} x_e = 1,   Σ_{e of pair p} x_e <= 1,
                           Σ_{e of inspector i} x_e <= cap_i,   0 <= x_e <= 1

Its matrix is a network matrix, so HiGHS returns an integral vertex. We never trust floats beyond
that: the 0/1 solution is checked exactly, node potentials are computed exactly (Bellman-Ford on the
residual graph, in int64, seeded with the rounded HiGHS duals only as a starting point) and turned
into LP duals y (slots), z (pairs, <= 0), w (inspectors, <= 0). Any residual negative cycle is
cancelled exactly. For speed the LP first sees only the cheapest few candidates per slot; every other
eligible edge is then priced exactly (c - y - z - w >= 0) and violators join the LP until none is left,
so the answer is optimal for the full problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import InfeasibleError, MatchingError
from .matching import Problem, cost_prefix, slot_costs

RESTRICT = 24  # candidates per slot in the first LP; only speed depends on it


@dataclass
class Solution:
    assigned: list[int]  # inspector index per global slot
    cost: list[int]
    scale: int  # certificate is for costs multiplied by this
    y: list[int]  # slot potentials
    z: list[int]  # pair potential of each slot's (member, task) pair
    w: list[int]  # inspector potentials
    unique: bool
    rounds: int


class _Edges:
    def __init__(self, problem: Problem, seed: bytes) -> None:
        import numpy as np

        prefix = cost_prefix(seed)
        ids = [insp["id"] for insp in problem.inspectors]
        slot_l: list[int] = []
        insp_l: list[int] = []
        cost_l: list[int] = []
        cache: dict[tuple[str, int], bytes] = {}
        for j, (t, k) in enumerate(problem.slots):
            el = problem.eligible[j]
            slot_l.extend([j] * len(el))
            insp_l.extend(el)
            cost_l.extend(slot_costs(prefix, problem.tasks[t]["id"], k, [ids[i] for i in el], cache))
        self.n_slots = len(problem.slots)
        self.n_insp = len(problem.inspectors)
        self.slot = np.array(slot_l, dtype=np.int64)
        self.insp = np.array(insp_l, dtype=np.int64)
        self.cost = np.array(cost_l, dtype=np.int64)
        slot_task = np.array([t for t, _ in problem.slots], dtype=np.int64)
        _, self.pair = np.unique(self.insp * len(problem.tasks) + slot_task[self.slot], return_inverse=True)
        self.n_pairs = int(self.pair.max()) + 1 if len(self.pair) else 0
        self.cap = np.array([insp["capacity"] for insp in problem.inspectors], dtype=np.int64)


def _lp(edges: _Edges, idx: Any, *, maximize_flow: bool = False) -> Any:
    """Solve the LP over edges ``idx``; returns (x as 0/1 int array, slot duals, pair duals by pair id,
    inspector duals) or None if infeasible."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, vstack

    n = len(idx)
    cols = np.arange(n)
    ones = np.ones(n)
    slot, insp, pair = edges.slot[idx], edges.insp[idx], edges.pair[idx]
    slot_rows = csr_matrix((ones, (slot, cols)), shape=(edges.n_slots, n))
    pairs, inverse, counts = np.unique(pair, return_inverse=True, return_counts=True)
    multi = counts >= 2  # a pair with one candidate edge cannot break its row
    row_of_pair = np.cumsum(multi) - 1
    sel = multi[inverse]
    pair_rows = csr_matrix((ones[sel], (row_of_pair[inverse[sel]], cols[sel])), shape=(int(multi.sum()), n))
    load = np.bincount(insp, minlength=edges.n_insp)
    binding = np.flatnonzero(load > edges.cap)
    row_of_insp = np.full(edges.n_insp, -1)
    row_of_insp[binding] = np.arange(len(binding))
    isel = row_of_insp[insp] >= 0
    insp_rows = csr_matrix((ones[isel], (row_of_insp[insp[isel]], cols[isel])), shape=(len(binding), n))
    a_ub = vstack([pair_rows, insp_rows], format="csr")
    b_ub = np.concatenate([np.ones(pair_rows.shape[0]), edges.cap[binding].astype(float)])
    if maximize_flow:
        res = linprog(
            -ones,
            A_ub=vstack([a_ub, slot_rows], format="csr"),
            b_ub=np.concatenate([b_ub, np.ones(edges.n_slots)]),
            bounds=(0, 1),
            method="highs-ds",
        )
        return None if res.status != 0 else np.rint(res.x).astype(np.int64)
    res = linprog(
        edges.cost[idx].astype(float),
        A_ub=a_ub if a_ub.shape[0] else None,
        b_ub=b_ub if a_ub.shape[0] else None,
        A_eq=slot_rows,
        b_eq=np.ones(edges.n_slots),
        bounds=(0, 1),
        method="highs-ds",
    )
    if res.status == 2:
        return None
    if res.status != 0:
        raise MatchingError(f"the LP solver stopped: {res.message}")
    x = np.rint(res.x)
    if np.abs(res.x - x).max(initial=0) > 1e-6:
        raise MatchingError("the LP solver returned a fractional point; cannot certify it")
    y0 = np.rint(res.eqlin.marginals).astype(np.int64)
    ub = np.rint(res.ineqlin.marginals).astype(np.int64) if a_ub.shape[0] else np.zeros(0, dtype=np.int64)
    z_by_pair = np.zeros(edges.n_pairs, dtype=np.int64)
    z_by_pair[pairs[multi]] = ub[: int(multi.sum())]
    w0 = np.zeros(edges.n_insp, dtype=np.int64)
    w0[binding] = ub[int(multi.sum()) :]
    return x.astype(bool), y0, z_by_pair, w0


class _Residual:
    """Compressed residual graph of the current assignment over the active edges. Nodes: 0 = source,
    1..I inspectors, then slots, then one node per used (inspector, task) pair."""

    def __init__(
        self, edges: _Edges, active: Any, used: Any, *, scale: int = 1, push_offset: int = 0
    ) -> None:
        import numpy as np

        self.e = edges
        self.scale = scale
        n_i, n_s = edges.n_insp, edges.n_slots
        self.used_idx = np.flatnonzero(used)
        u = self.used_idx
        self.slot_node = 1 + n_i + np.arange(n_s)
        self.pnode = np.full(edges.n_pairs, -1, dtype=np.int64)
        self.pnode[edges.pair[u]] = 1 + n_i + n_s + np.arange(len(u))
        self.n_nodes = 1 + n_i + n_s + len(u)
        load = np.bincount(edges.insp[u], minlength=n_i)
        self.load = load
        free = np.flatnonzero(load < edges.cap)
        busy = np.flatnonzero(load > 0)
        un = np.flatnonzero(active & ~used)
        src_un = np.where(self.pnode[edges.pair[un]] >= 0, self.pnode[edges.pair[un]], 1 + edges.insp[un])
        parts = [
            # (src, dst, cost, edge, effect on x[edge] when the arc is used by a cycle)
            (
                np.zeros(len(free), dtype=np.int64),
                1 + free,
                np.zeros(len(free), dtype=np.int64),
                -np.ones(len(free), dtype=np.int64),
                np.zeros(len(free), dtype=np.int64),
            ),
            (
                1 + busy,
                np.zeros(len(busy), dtype=np.int64),
                np.zeros(len(busy), dtype=np.int64),
                -np.ones(len(busy), dtype=np.int64),
                np.zeros(len(busy), dtype=np.int64),
            ),
            (
                src_un,
                self.slot_node[edges.slot[un]],
                scale * edges.cost[un] - push_offset,
                un,
                np.ones(len(un), dtype=np.int64),
            ),
            (
                self.slot_node[edges.slot[u]],
                self.pnode[edges.pair[u]],
                -scale * edges.cost[u],
                u,
                -np.ones(len(u), dtype=np.int64),
            ),
            (
                self.pnode[edges.pair[u]],
                1 + edges.insp[u],
                np.zeros(len(u), dtype=np.int64),
                u,
                np.zeros(len(u), dtype=np.int64),
            ),
        ]
        self.src, self.dst, self.cost, self.edge, self.effect = (
            np.concatenate(c) for c in zip(*parts, strict=True)
        )

    def start(self, y0: Any, z_by_pair: Any, w0: Any) -> Any:
        import numpy as np

        d = np.zeros(self.n_nodes, dtype=np.int64)
        n_i = self.e.n_insp
        d[1 : 1 + n_i] = -w0
        d[self.slot_node] = y0
        u = self.used_idx
        d[self.pnode[self.e.pair[u]]] = -w0[self.e.insp[u]] - z_by_pair[self.e.pair[u]]
        return d

    def potentials(self, d: Any) -> tuple[Any, Any]:
        """Relax to a feasible potential (d[v] <= d[u] + c for every arc); returns (d, None) or
        (None, list of arc indices of a negative cycle)."""
        import numpy as np

        for _ in range(self.n_nodes + 1):
            cand = d[self.src] + self.cost
            nd = d.copy()
            np.minimum.at(nd, self.dst, cand)
            if np.array_equal(nd, d):
                return d, None
            d = nd
        return None, self._negative_cycle(d)

    def _negative_cycle(self, d: Any) -> list[int]:
        """Keep relaxing with predecessor arcs until the predecessor graph closes a cycle; such a
        cycle is always negative (each arc was tight when set, and potentials only decrease)."""
        import numpy as np

        pred = np.full(self.n_nodes, -1, dtype=np.int64)
        for _ in range(3 * self.n_nodes + 3):
            cand = d[self.src] + self.cost
            better = np.flatnonzero(cand < d[self.dst])
            if not len(better):
                break
            order = better[np.lexsort((cand[better], self.dst[better]))]
            first = np.ones(len(order), dtype=bool)
            first[1:] = self.dst[order[1:]] != self.dst[order[:-1]]
            arcs = order[first]
            d = d.copy()
            d[self.dst[arcs]] = cand[arcs]
            pred[self.dst[arcs]] = arcs
            cycle = self._pred_cycle(pred.tolist())
            if cycle:
                return cycle
        raise MatchingError("internal: could not isolate the negative cycle")

    def _pred_cycle(self, pred: list[int]) -> list[int] | None:
        src = self.src
        state = [0] * len(pred)  # 0 new, 1 on the current walk, 2 finished
        for start in range(len(pred)):
            path = []
            node = start
            while node >= 0 and state[node] == 0:
                state[node] = 1
                path.append(node)
                arc = pred[node]
                node = int(src[arc]) if arc >= 0 else -1
            if node >= 0 and state[node] == 1:
                cycle, v = [], node
                while True:
                    arc = pred[v]
                    cycle.append(arc)
                    v = int(src[arc])
                    if v == node:
                        return cycle
            for v in path:
                state[v] = 2
        return None


def _check_primal(edges: _Edges, used: Any) -> None:
    import numpy as np

    per_slot = np.bincount(edges.slot[used], minlength=edges.n_slots)
    per_pair = np.bincount(edges.pair[used], minlength=edges.n_pairs)
    per_insp = np.bincount(edges.insp[used], minlength=edges.n_insp)
    if (per_slot != 1).any() or (per_pair > 1).any() or (per_insp > edges.cap).any():
        raise MatchingError("internal: the solver's assignment is not feasible")


def solve(problem: Problem, seed: bytes, *, restrict: int = RESTRICT) -> Solution:
    """Optimal assignment for ``seed`` with its exact certificate; InfeasibleError if none fills all."""
    import numpy as np

    edges = _Edges(problem, seed)
    order = np.lexsort((edges.cost, edges.slot))
    first = np.searchsorted(edges.slot[order], np.arange(edges.n_slots))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - first[edges.slot[order]]
    active = rank < restrict
    rounds = 0
    while True:
        rounds += 1
        out = _lp(edges, np.flatnonzero(active))
        if out is None:
            if active.all():
                raise _infeasible(problem, edges)
            active[:] = True
            continue
        x, y0, z_by_pair, w0 = out
        used = np.zeros(len(edges.slot), dtype=bool)
        used[np.flatnonzero(active)[x]] = True
        while True:
            _check_primal(edges, used)
            graph = _Residual(edges, active, used)
            d, cycle = graph.potentials(graph.start(y0, z_by_pair, w0))
            if cycle is None:
                break
            for arc in cycle:  # cancel the negative cycle exactly
                if graph.effect[arc] == 1:
                    used[graph.edge[arc]] = True
                elif graph.effect[arc] == -1:
                    used[graph.edge[arc]] = False
        y, zpair, w = _duals(edges, graph, d)
        reduced = edges.cost - y[edges.slot] - zpair[edges.pair] - w[edges.insp]
        if (reduced[used] != 0).any() or (reduced[active] < 0).any():
            raise MatchingError("internal: potentials are not a certificate")
        violated = ~active & (reduced < 0)
        if not violated.any():
            break
        active |= violated
    scale, y, zpair, w, unique = _strict_certificate(edges, used)
    assigned = np.zeros(edges.n_slots, dtype=np.int64)
    assigned[edges.slot[used]] = edges.insp[used]
    slot_cost = np.zeros(edges.n_slots, dtype=np.int64)
    slot_cost[edges.slot[used]] = edges.cost[used]
    slot_z = np.zeros(edges.n_slots, dtype=np.int64)
    slot_z[edges.slot[used]] = zpair[edges.pair[used]]
    return Solution(
        assigned=assigned.tolist(),
        cost=slot_cost.tolist(),
        scale=scale,
        y=y.tolist(),
        z=slot_z.tolist(),
        w=w.tolist(),
        unique=unique,
        rounds=rounds,
    )


def _strict_certificate(edges: _Edges, used: Any) -> tuple[int, Any, Any, Any, bool]:
    """The published certificate: potentials for costs scaled by K = slots + 1 under which every
    unused eligible triple has reduced cost >= 1, proving the optimum unique.

    Pushing along an unused edge costs K·c - 1, so a residual cycle costs K·C - (its push arcs),
    negative exactly when C = 0, i.e. when a tie exists; then the plain scaled certificate is returned
    with unique = False. Potentials are shortest distances from a virtual root (all zeros to start)
    over every eligible edge, which makes them canonical: any implementation gets the same numbers."""
    import numpy as np

    scale = edges.n_slots + 1
    if int(edges.cost.max(initial=0)) * scale * 4 * (edges.n_slots + 2) >= 2**62:
        raise MatchingError("internal: certificate integers would overflow int64")
    everything = np.ones(len(edges.slot), dtype=bool)
    graph = _Residual(edges, everything, used, scale=scale, push_offset=1)
    d, cycle = graph.potentials(np.zeros(graph.n_nodes, dtype=np.int64))
    unique = cycle is None
    if not unique:
        graph = _Residual(edges, everything, used, scale=scale)
        d, _ = graph.potentials(np.zeros(graph.n_nodes, dtype=np.int64))
    y, zpair, w = _duals(edges, graph, d)
    return scale, y, zpair, w, unique


def _duals(edges: _Edges, graph: _Residual, d: Any) -> tuple[Any, Any, Any]:
    """LP duals from a feasible potential d (see docs/draw-protocol.md for the derivation)."""
    import numpy as np

    d_source = d[0]
    w = np.minimum(0, d_source - d[1 : 1 + edges.n_insp])
    u = graph.used_idx
    d_pair = d[graph.pnode[edges.pair[u]]]
    zpair = np.zeros(edges.n_pairs, dtype=np.int64)
    zpair[edges.pair[u]] = np.minimum(0, d[1 + edges.insp[u]] - d_pair)
    y = np.zeros(edges.n_slots, dtype=np.int64)
    y[edges.slot[u]] = graph.scale * edges.cost[u] + d_pair - d_source
    return y, zpair, w


def _infeasible(problem: Problem, edges: _Edges) -> InfeasibleError:
    """Explain why not every slot can be filled, from a maximum (partial) assignment."""
    import numpy as np

    x = _lp(edges, np.arange(len(edges.slot)), maximize_flow=True)
    if x is None:
        return InfeasibleError("no full assignment exists")
    used = x.astype(bool)
    filled = np.zeros(edges.n_slots, dtype=bool)
    filled[edges.slot[used]] = True
    short = int((~filled).sum())
    filler = {int(edges.slot[e]): int(edges.insp[e]) for e in np.flatnonzero(used)}
    slots_of = {}
    for j, i in filler.items():
        slots_of.setdefault(i, []).append(j)
    # Alternating search from the unfilled slots: every inspector reached is fully booked (else the
    # assignment could grow), so the slots reached compete for too little capacity.
    frontier = [int(j) for j in np.flatnonzero(~filled)]
    seen_slots, seen_insp = set(frontier), set()
    while frontier:
        j = frontier.pop()
        for i in problem.eligible[j]:
            if i not in seen_insp:
                seen_insp.add(i)
                for j2 in slots_of.get(i, []):
                    if j2 not in seen_slots:
                        seen_slots.add(j2)
                        frontier.append(j2)

    def names(idx: list[int]) -> str:
        items = sorted(idx)
        text = ", ".join(items[:15])
        return text + (f" … ({len(items)} in all)" if len(items) > 15 else "")

    short_tasks = sorted({problem.tasks[problem.slots[j][0]]["id"] for j in np.flatnonzero(~filled)})
    involved = sorted({problem.tasks[problem.slots[j][0]]["id"] for j in seen_slots})
    inspectors = [problem.inspectors[i]["id"] for i in seen_insp]
    capacity = sum(problem.inspectors[i]["capacity"] for i in seen_insp)
    problems = [
        f"max flow short by {short}: no assignment fills every slot; unfilled in a maximum assignment:"
        f" tasks {names(short_tasks)}",
        f"tasks {names(involved)} need {len(seen_slots)} slot(s) but can only use inspectors"
        f" {names(inspectors)} (total capacity {capacity}, at most one slot per team each)",
    ]
    return InfeasibleError(f"max flow short by {short}", problems=problems)
