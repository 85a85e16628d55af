"""The flow engine behind plan_assignments: jurors are bit positions, entries are indices.

State: for each entry the mask of eligible jurors and the mask of jurors holding it
(fixed pairs plus new ones); for each juror its load and the set of entries it holds
movably (new pairs only: fixed pairs never move).

The residual graph of the entry/juror flow network is kept at juror level: an arc
x -> y exists when x holds a movable entry that y may take (eligible, not holding it).
Shifting one entry along every arc of a path x0 -> ... -> xn changes no load except
x0 (-1) and xn (+1), and keeps every entry's juror count. Both repairs are searches
for such paths: `fill_gaps` (augmenting paths: maximum coverage) and `balance`
(exchange paths from a juror to one with at least two fewer reviews: dec-min loads).
"""

import itertools
import random

INF = float("inf")


def bits(mask: int):
    """Yield the positions of the set bits of mask, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class Matcher:
    """Mutable state of one planning run; see the module docstring."""

    def __init__(self, *, k, elig, fixed, caps, fixed_loads, rng: random.Random):
        self.k = k
        self.elig = elig
        self.fixed = fixed
        self.assigned = list(fixed)
        self.count = [m.bit_count() for m in fixed]
        self.caps = caps
        self.load = list(fixed_loads)
        self.held = [set() for _ in caps]
        self.rng = rng
        self.reach_cache = [0] * len(caps)
        self.dirty = set(range(len(caps)))
        self.spare = 0
        self.width = len(caps)
        self.free_at = {}  # load -> mask of jurors at that load with spare capacity
        for j, cap in enumerate(caps):
            if self.load[j] < cap:
                self.spare |= 1 << j
                self.free_at[self.load[j]] = self.free_at.get(self.load[j], 0) | 1 << j

    def _random_member(self, mask: int) -> int:
        """A random set bit of mask: uniform among few; among many, the first at or after
        a random position, cyclically.

        A fresh draw for every pick breaks ties between equally loaded jurors anew for
        every entry, which is what stops fixed panels from forming. The cyclic draw costs a
        few word operations whatever the mask; its price is a mild bias (a juror's chance
        grows with the run of unset bits before it), small when the mask is dense;
        bench/assign.py measures the mixing.
        """
        count = mask.bit_count()
        if count <= 32:  # few candidates: an exact uniform draw is cheap
            r = int(self.rng.random() * count)
            for j in bits(mask):
                if not r:
                    return j
                r -= 1
        start = int(self.rng.random() * self.width)
        above = mask >> start
        if above:
            return start + (above & -above).bit_length() - 1
        return (mask & -mask).bit_length() - 1

    def _set_load(self, j: int, delta: int) -> None:
        bit, old = 1 << j, self.load[j]
        if old in self.free_at:
            self.free_at[old] &= ~bit
            if not self.free_at[old]:  # keep few keys: free_up_to scans them all
                del self.free_at[old]
        self.load[j] = new = old + delta
        if new < self.caps[j]:
            self.spare |= bit
            self.free_at[new] = self.free_at.get(new, 0) | bit
        else:
            self.spare &= ~bit

    def free_up_to(self, limit: int) -> int:
        """Jurors with spare capacity and a load of at most limit."""
        mask = 0
        for load, jurors in self.free_at.items():
            if load <= limit:
                mask |= jurors
        return mask

    def _add(self, e: int, j: int) -> None:
        self._touch(e)
        self.assigned[e] |= 1 << j
        self.count[e] += 1
        self.held[j].add(e)
        self._set_load(j, 1)
        self.dirty.add(j)

    def _move(self, x: int, y: int) -> None:
        """Shift one movable entry from x to y (an arc of the residual graph): x -1, y +1."""
        for e in self.held[x]:
            if (self.elig[e] >> y) & 1 and not (self.assigned[e] >> y) & 1:
                break
        else:  # pragma: no cover - the search only follows existing arcs
            raise AssertionError("no entry to shift along a residual arc")
        self._touch(e)
        self.held[x].remove(e)
        self.held[y].add(e)
        self.assigned[e] ^= (1 << x) | (1 << y)
        self.dirty.update((x, y))
        self._set_load(x, -1)
        self._set_load(y, 1)

    def _touch(self, e: int) -> None:
        # Every juror holding e movably may gain or lose arcs through e.
        self.dirty.update(bits(self.assigned[e] & ~self.fixed[e]))

    def reach(self, x: int) -> int:
        """Jurors that could take one of x's movable entries (arcs out of x)."""
        if x in self.dirty:
            self.dirty.discard(x)
            mask = 0
            elig, assigned = self.elig, self.assigned
            for e in self.held[x]:
                mask |= elig[e] & ~assigned[e]
            self.reach_cache[x] = mask
        return self.reach_cache[x]

    def greedy(self, order) -> None:
        """Give each entry, in the given order, its least loaded eligible free jurors.

        Jurors are bucketed by load (free_at), so a pick costs a few mask operations per
        distinct load instead of a sort of the entry's class: linear in the entries.
        """
        k = self.k
        for e in order:
            need = k - self.count[e]
            if need <= 0:
                continue
            candidates = self.elig[e] & ~self.assigned[e] & self.spare
            picked = []
            for load in sorted(self.free_at):
                pool = self.free_at[load] & candidates
                while pool and len(picked) < need:
                    j = self._random_member(pool)
                    pool &= ~(1 << j)
                    picked.append(j)
                if len(picked) == need:
                    break
            for j in picked:  # reach caches are not read here: all are rebuilt after
                self.assigned[e] |= 1 << j
                self.count[e] += 1
                self.held[j].add(e)
                self._set_load(j, 1)
        self.dirty = set(range(len(self.caps)))

    def search(self, sources: int, targets: int, dead: int):
        """Breadth-first search of the residual graph from sources to targets.

        Returns (path, visited): path is the juror list from a source to the least
        loaded target reached first, or None; visited is every juror reached.
        """
        hit = sources & targets
        visited = sources | dead
        found = []  # (mask discovered, from juror), in discovery order
        frontier = sources
        while not hit and frontier:
            nxt = 0
            for x in bits(frontier):
                new = self.reach(x) & ~visited
                if new:
                    visited |= new
                    nxt |= new
                    found.append((new, x))
                    hit |= new & targets
            frontier = nxt
        if not hit:
            return None, visited
        path = [min(bits(hit), key=self.load.__getitem__)]
        # Walk back: a juror's parent is recorded before anything it discovered.
        for new, x in reversed(found):
            if (new >> path[-1]) & 1:
                path.append(x)
        path.reverse()
        return path, visited

    def _shift(self, path) -> None:
        for x, y in itertools.pairwise(path):
            self._move(x, y)

    def fill_gaps(self, order) -> None:
        """Augmenting paths until no entry short of k can gain a juror (maximum flow).

        A failed search leaves a set of jurors closed under the residual arcs and with
        no spare capacity; later augmentations never enter it, so it stays dead.
        """
        dead = 0
        for e in order:
            while self.count[e] < self.k:
                sources = self.elig[e] & ~self.assigned[e] & ~dead
                path, visited = self.search(sources, self.spare, dead)
                if path is None:
                    dead |= visited
                    break
                # Shift first so path[0] passes on an entry the search saw, never e itself.
                self._shift(path)
                self._add(e, path[0])

    def balance(self) -> None:
        """Exchange paths until no juror can pass a review to one with >= 2 fewer.

        Each exchange lowers the sum of squared loads, so this terminates; at the end
        the loads are decreasingly minimal (see the assignment module docstring).
        """
        jurors = range(len(self.caps))
        moved = True
        while moved:
            moved = False
            dead = 0
            for u in sorted(jurors, key=lambda j: -self.load[j]):
                if (dead >> u) & 1 or not self.held[u]:
                    continue
                limit = self.load[u] - 2
                low = self.free_up_to(limit)
                if not low:
                    continue
                path, visited = self.search(1 << u, low, dead)
                if path is None:
                    dead |= visited
                    continue
                self._shift(path)
                moved = True
