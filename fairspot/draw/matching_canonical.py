"""The canonical matching certificate, recomputed from an assignment with the standard library only.

§7.5 of docs/draw-protocol.md defines the published potentials as shortest distances in the residual
graph of the assignment, from a virtual root joined to every node at cost 0. Shortest distances are
unique whatever algorithm finds them, so the verifier recomputes them here (label-correcting
Bellman-Ford in pure Python) and requires ``result.json`` to carry exactly these numbers: a result is
then pinned byte for byte (§1.3), not merely "some valid certificate".
"""

from __future__ import annotations

from collections import deque

from .errors import VerificationError
from .matching import Problem


def _distances(n_nodes: int, arcs: list[tuple[int, int, int]]) -> list[int] | None:
    """Shortest distances from a virtual root joined to every node at cost 0, or None when the graph
    has a negative cycle."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for u, v, c in arcs:
        out[u].append((v, c))
    d = [0] * n_nodes
    queue = deque(range(n_nodes))
    queued = [True] * n_nodes
    relaxed = [0] * n_nodes
    while queue:
        u = queue.popleft()
        queued[u] = False
        du = d[u]
        for v, c in out[u]:
            if du + c < d[v]:
                d[v] = du + c
                relaxed[v] += 1
                if relaxed[v] > n_nodes:
                    return None
                if not queued[v]:
                    queued[v] = True
                    queue.append(v)
    return d


def canonical_certificate(
    problem: Problem, costs: list[list[int]], assigned: list[int], scale: int
) -> tuple[list[int], list[int], list[int], bool]:
    """``(y per slot, z per slot, w per inspector, unique)`` for the assignment ``assigned`` (inspector
    index per global slot); ``costs[j]`` are the costs of ``problem.eligible[j]`` in order."""
    n_i, n_s = len(problem.inspectors), len(problem.slots)
    load = [0] * n_i
    pnode: dict[tuple[int, int], int] = {}
    for j, i in enumerate(assigned):
        load[i] += 1
        pnode[(i, problem.slots[j][0])] = 1 + n_i + n_s + j
    n_nodes = 1 + n_i + n_s + n_s

    def arcs(offset: int) -> list[tuple[int, int, int]]:
        out: list[tuple[int, int, int]] = []
        for i, insp in enumerate(problem.inspectors):
            if load[i] < insp["capacity"]:
                out.append((0, 1 + i, 0))
            if load[i] > 0:
                out.append((1 + i, 0, 0))
        for j, (t, _k) in enumerate(problem.slots):
            slot = 1 + n_i + j
            for i, c in zip(problem.eligible[j], costs[j], strict=True):
                if i == assigned[j]:
                    out.append((slot, pnode[(i, t)], -scale * c))
                    out.append((pnode[(i, t)], 1 + i, 0))
                else:
                    out.append((pnode.get((i, t), 1 + i), slot, scale * c - offset))
        return out

    unique = True
    d = _distances(n_nodes, arcs(1))
    if d is None:
        unique = False
        d = _distances(n_nodes, arcs(0))
        if d is None:
            raise VerificationError(
                "the assignment is not optimal (negative residual cycle)", where="result.json"
            )
    w = [min(0, d[0] - d[1 + i]) for i in range(n_i)]
    y: list[int] = []
    z: list[int] = []
    for j, (t, _k) in enumerate(problem.slots):
        i = assigned[j]
        c = costs[j][problem.eligible[j].index(i)]
        p = pnode[(i, t)]
        z.append(min(0, d[1 + i] - d[p]))
        y.append(scale * c + d[p] - d[0])
    return y, z, w, unique
