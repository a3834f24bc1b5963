"""Queue storage with acknowledgements: huey's storage, where a dequeued job is leased, not deleted.

huey's own SQLite and Redis storages delete a job when a worker takes it, so a crash while the job
runs loses it. Here a worker takes a *lease* (a token and a deadline) instead; the job is deleted
only when its handler has finished (`ack`). A worker renews its leases while the job runs; a lease
whose deadline passes (the process died, `kill -9` included) makes the job visible again, and
another worker (or the restarted server) runs it again. Handlers are idempotent for that reason.

The same storage keeps the item ledger behind `spbe events`: one row per webhook event, button call
or public submission (`kind`), with its state (queued, running, done, failed) and its
de-duplication key. The ledger row, the de-duplication key and the job are written in one
transaction (SQLite) or one Lua script (Redis): an item is either fully accepted or not at all.
Keys and finished rows expire after the retention window (`RETENTION`).

Retries scheduled for later move into the queue atomically as well (huey's scheduler would pop
them first and enqueue them after, losing them on a crash in between).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey.storage import RedisStorage, SqliteStorage

# Notion retries a webhook delivery for about 24 hours; keys are kept a week.
RETENTION = 7 * 24 * 3600.0
STATES = ("queued", "running", "done", "failed")


@dataclass(frozen=True)
class Lease:
    """A worker's claim on one job: the storage's handle and a random token."""

    handle: Any
    token: str


class LeasedSqliteStorage(SqliteStorage):
    """huey's SQLite storage with leases and the item ledger (same file, same transactions)."""

    ddl = SqliteStorage.ddl + [
        "create table if not exists lease (task_id integer primary key, token text not null, "
        "until real not null)",
        "create table if not exists item (id text primary key, kind text not null, "
        "dedup text unique, name text not null, state text not null, received real not null, "
        "started real, finished real, attempts integer not null default 0, error text)",
        "create index if not exists item_received on item (received)",
        "create table if not exists seen (key text primary key, until real not null)",
        "create index if not exists seen_until on seen (until)",
    ]

    def __init__(self, *args: Any, lease_seconds: float = 30.0, **kwargs: Any) -> None:
        self.lease_seconds = lease_seconds
        super().__init__(*args, **kwargs)

    # -- producing -----------------------------------------------------------------------
    def accept(self, data: bytes, job_id: str, item: dict | None, key: str | None,
               now: float) -> str | None:
        with self.db(commit=True) as curs:
            curs.execute("delete from item where received < ? and state in ('done', 'failed')",
                         (now - RETENTION,))
            if key is not None:
                curs.execute("update item set dedup = null where dedup = ? and received < ?",
                             (key, now - RETENTION))
                row = curs.execute("select id from item where dedup = ?", (key,)).fetchone()
                if row is not None:
                    return row[0]
            curs.execute("insert into task (queue, data, priority) values (?, ?, 0)",
                         (self.name, self.to_blob(data)))
            if item is not None:
                curs.execute("insert into item (id, kind, dedup, name, state, received) "
                             "values (?, ?, ?, ?, 'queued', ?)",
                             (job_id, item["kind"], key, item["name"], now))
        return None

    def read_schedule(self, ts: Any) -> list:
        """Move due retries into the queue in one transaction; nothing is left to enqueue."""
        with self.db(commit=True) as curs:
            params = (self.name, ts.timestamp())
            curs.execute("insert into task (queue, data, priority) select queue, data, 0 "
                         "from schedule where queue = ? and timestamp <= ? order by timestamp, id",
                         params)
            curs.execute("delete from schedule where queue = ? and timestamp <= ?", params)
        return []

    # -- consuming -----------------------------------------------------------------------
    def dequeue(self) -> bytes | None:
        """huey's plain dequeue is not used: a leased storage hands out leases."""
        raise RuntimeError("use lease(): this storage acknowledges jobs")

    def lease(self, now: float) -> tuple[Lease, bytes] | None:
        free = ("select t.id, t.data from task t left join lease l on l.task_id = t.id "
                "where t.queue = ? and (l.until is null or l.until < ?) order by t.priority desc, "
                "t.id limit 1")
        if not self.sql(free, (self.name, now), results=True):
            return None
        with self.db(commit=True) as curs:
            row = curs.execute(free, (self.name, now)).fetchone()
            if row is None:
                return None
            token = uuid.uuid4().hex
            curs.execute("insert or replace into lease (task_id, token, until) values (?, ?, ?)",
                         (row[0], token, now + self.lease_seconds))
        return Lease(row[0], token), bytes(row[1])

    def renew(self, leases: list[Lease], now: float) -> None:
        with self.db(commit=True) as curs:
            curs.executemany("update lease set until = ? where task_id = ? and token = ?",
                             [(now + self.lease_seconds, lz.handle, lz.token) for lz in leases])

    def release(self, leases: list[Lease]) -> None:
        """Give leases back at once (shutting down): the jobs are visible to the next worker."""
        with self.db(commit=True) as curs:
            curs.executemany("delete from lease where task_id = ? and token = ?",
                             [(lz.handle, lz.token) for lz in leases])

    def ack(self, lease: Lease, job_id: str, state: str, now: float, error: str | None) -> bool:
        """The handler finished: delete the job and record the item's final state together."""
        with self.db(commit=True) as curs:
            mine = curs.execute("delete from lease where task_id = ? and token = ?",
                                (lease.handle, lease.token)).rowcount
            if mine:  # a lease that expired or was handed back: the job is someone else's now
                curs.execute("delete from task where id = ?", (lease.handle,))
                self._set_state(curs, job_id, state, now, error)
        return bool(mine)

    def set_state(self, job_id: str, state: str, now: float, attempts: int | None = None) -> None:
        with self.db(commit=True) as curs:
            self._set_state(curs, job_id, state, now, None, attempts)

    @staticmethod
    def _set_state(curs: Any, job_id: str, state: str, now: float, error: str | None,
                   attempts: int | None = None) -> None:
        done = state in ("done", "failed")
        curs.execute("update item set state = ?, finished = ?, error = ?, "
                     "started = coalesce(case when ? = 'running' then ? end, started), "
                     "attempts = coalesce(?, attempts) where id = ?",
                     (state, now if done else None, error, state, now, attempts, job_id))

    def remember(self, key: str, now: float, ttl: float) -> bool:
        """True the first time `key` is seen within `ttl` seconds; expired keys are dropped."""
        with self.db(commit=True) as curs:
            curs.execute("delete from seen where until < ?", (now,))
            return curs.execute("insert or ignore into seen (key, until) values (?, ?)",
                                (key, now + ttl)).rowcount == 1

    def forget(self, key: str) -> None:
        self.sql("delete from seen where key = ?", (key,), commit=True)

    # -- listing -------------------------------------------------------------------------
    def items(self, limit: int) -> list[dict]:
        rows = self.sql("select id, kind, dedup, name, state, received, finished, attempts, error "
                        "from item order by received desc, id limit ?", (limit,), results=True)
        cols = ("id", "kind", "key", "name", "state", "received", "finished", "attempts", "error")
        return [dict(zip(cols, r, strict=True)) for r in rows]

    def leased_count(self, now: float) -> int:
        return self.sql("select count(*) from lease where until >= ?", (now,), results=True)[0][0]


# KEYS: queue, dedup key (or ""), item hash (or ""), items zset. ARGV: data, job id, kind, name,
# now, retention, the de-duplication key as given.
_ACCEPT_LUA = """
redis.call('zremrangebyscore', KEYS[4], '-inf', tonumber(ARGV[5]) - tonumber(ARGV[6]))
if KEYS[2] ~= '' then
  local known = redis.call('get', KEYS[2])
  if known then return known end
  redis.call('set', KEYS[2], ARGV[2], 'EX', math.floor(tonumber(ARGV[6])))
end
redis.call('lpush', KEYS[1], ARGV[1])
if KEYS[3] ~= '' then
  redis.call('hset', KEYS[3], 'kind', ARGV[3], 'name', ARGV[4], 'state', 'queued',
             'received', ARGV[5], 'key', ARGV[7], 'attempts', 0)
  redis.call('expire', KEYS[3], math.floor(tonumber(ARGV[6])))
  redis.call('zadd', KEYS[4], ARGV[5], ARGV[2])
end
return false
"""
# KEYS: queue, leases zset, lease data hash. ARGV: now, lease seconds, token.
_LEASE_LUA = """
local now = tonumber(ARGV[1])
local expired = redis.call('zrangebyscore', KEYS[2], '-inf', now)
for _, token in ipairs(expired) do
  local data = redis.call('hget', KEYS[3], token)
  if data then redis.call('rpush', KEYS[1], data) end
  redis.call('hdel', KEYS[3], token)
  redis.call('zrem', KEYS[2], token)
end
local data = redis.call('rpop', KEYS[1])
if not data then return false end
redis.call('zadd', KEYS[2], now + tonumber(ARGV[2]), ARGV[3])
redis.call('hset', KEYS[3], ARGV[3], data)
return data
"""
# KEYS: leases zset, lease data hash, item hash. ARGV: token, state, now, error.
_ACK_LUA = """
local mine = redis.call('zrem', KEYS[1], ARGV[1])
redis.call('hdel', KEYS[2], ARGV[1])
if mine == 1 and redis.call('exists', KEYS[3]) == 1 then
  redis.call('hset', KEYS[3], 'state', ARGV[2], 'finished', ARGV[3], 'error', ARGV[4])
end
return mine
"""
# KEYS: schedule zset, queue. ARGV: now.
_SCHEDULE_LUA = """
local due = redis.call('zrangebyscore', KEYS[1], '-inf', tonumber(ARGV[1]))
for _, data in ipairs(due) do redis.call('lpush', KEYS[2], data) end
redis.call('zremrangebyscore', KEYS[1], '-inf', tonumber(ARGV[1]))
return #due
"""


class LeasedRedisStorage(RedisStorage):
    """huey's Redis storage with leases (a sorted set of deadlines) and the item ledger."""

    def __init__(self, *args: Any, lease_seconds: float = 30.0, **kwargs: Any) -> None:
        self.lease_seconds = lease_seconds
        super().__init__(*args, blocking=False, **kwargs)
        self.lease_key = f"spbe.leases.{self.name}"
        self.lease_data_key = f"spbe.leasedata.{self.name}"
        self.items_key = f"spbe.items.{self.name}"
        self._accept = self.conn.register_script(_ACCEPT_LUA)
        self._lease = self.conn.register_script(_LEASE_LUA)
        self._ack = self.conn.register_script(_ACK_LUA)
        self._move_due = self.conn.register_script(_SCHEDULE_LUA)

    def close(self) -> None:
        """Close the connections of this storage's Redis pool (huey's own close does nothing)."""
        self.conn.close()
        self.pool.disconnect()

    def _item_key(self, job_id: str) -> str:
        return f"spbe.item.{self.name}.{job_id}"

    def _dedup_key(self, key: str) -> str:
        return f"spbe.dedup.{self.name}.{key}"

    def accept(self, data: bytes, job_id: str, item: dict | None, key: str | None,
               now: float) -> str | None:
        keys = [self.queue_key, self._dedup_key(key) if key else "",
                self._item_key(job_id) if item else "", self.items_key]
        known = self._accept(keys=keys, args=[data, job_id, (item or {}).get("kind", ""),
                                              (item or {}).get("name", ""), now, RETENTION,
                                              key or ""])
        return known.decode() if isinstance(known, bytes) else known or None

    def read_schedule(self, ts: Any) -> list:
        self._move_due(keys=[self.schedule_key, self.queue_key], args=[self.convert_ts(ts)])
        return []

    def dequeue(self) -> bytes | None:
        raise RuntimeError("use lease(): this storage acknowledges jobs")

    def lease(self, now: float) -> tuple[Lease, bytes] | None:
        token = uuid.uuid4().hex
        data = self._lease(keys=[self.queue_key, self.lease_key, self.lease_data_key],
                           args=[now, self.lease_seconds, token])
        return (Lease(token, token), data) if data else None

    def renew(self, leases: list[Lease], now: float) -> None:
        if leases:
            self.conn.zadd(self.lease_key, {lz.token: now + self.lease_seconds for lz in leases},
                           xx=True)

    def release(self, leases: list[Lease]) -> None:
        if leases:  # an expired deadline: the next lease() call puts the job back
            self.conn.zadd(self.lease_key, {lz.token: 0 for lz in leases}, xx=True)

    def ack(self, lease: Lease, job_id: str, state: str, now: float, error: str | None) -> bool:
        return bool(self._ack(keys=[self.lease_key, self.lease_data_key, self._item_key(job_id)],
                              args=[lease.token, state, now, error or ""]))

    def set_state(self, job_id: str, state: str, now: float, attempts: int | None = None) -> None:
        key = self._item_key(job_id)
        fields: dict[str, Any] = {"state": state}
        if state == "running":
            fields["started"] = now
        if attempts is not None:
            fields["attempts"] = attempts
        with self.conn.pipeline() as pipe:  # MULTI/EXEC; only items that exist are updated
            pipe.watch(key)
            if pipe.exists(key):
                pipe.multi()
                pipe.hset(key, mapping=fields)
                pipe.execute()

    def remember(self, key: str, now: float, ttl: float) -> bool:
        return bool(self.conn.set(f"spbe.seen.{self.name}.{key}", 1, nx=True,
                                  px=max(1, int(ttl * 1000))))

    def forget(self, key: str) -> None:
        self.conn.delete(f"spbe.seen.{self.name}.{key}")

    def items(self, limit: int) -> list[dict]:
        ids = [i.decode() for i in self.conn.zrevrange(self.items_key, 0, limit - 1)]
        rows = []
        for job_id in ids:
            raw = {k.decode(): v.decode() for k, v in self.conn.hgetall(self._item_key(job_id)).items()}
            if not raw:
                continue
            rows.append({"id": job_id, "kind": raw["kind"], "key": raw.get("key") or None,
                         "name": raw["name"], "state": raw["state"],
                         "received": float(raw["received"]),
                         "finished": float(raw["finished"]) if raw.get("finished") else None,
                         "attempts": int(raw.get("attempts") or 0), "error": raw.get("error") or None})
        return rows

    def leased_count(self, now: float) -> int:
        return self.conn.zcount(self.lease_key, now, "+inf")


class LeasedHuey:
    """Mixin for a Huey whose storage hands out leases: `dequeue` returns the task with `.lease`."""

    def dequeue(self) -> Any:
        got = self.storage.lease(time.time())
        if got is None:
            return None
        lease, data = got
        task = self.deserialize_task(data)
        task.lease = lease
        return task

    def execute(self, task: Any, timestamp: Any = None) -> Any:
        result = super().execute(task, timestamp)
        lease = getattr(task, "lease", None)
        if lease is not None:  # not acknowledged by the job itself: a periodic trigger
            self.storage.ack(lease, "", "done", time.time(), None)
            task.lease = None
        return result


class LeasedSqliteHuey(LeasedHuey, SqliteHuey):
    storage_class = LeasedSqliteStorage


class LeasedRedisHuey(LeasedHuey, RedisHuey):
    storage_class = LeasedRedisStorage

