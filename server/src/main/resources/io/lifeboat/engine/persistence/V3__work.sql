-- Work that waits for a time or a worker: backup and restore jobs, lifecycle moves of recovery points,
-- garbage collection of vault stores. A node claims an item by a conditional UPDATE that sets owner
-- and lease; a lease not renewed in time means its node is gone. Only open work has a row.
CREATE TABLE work_items (
    id           VARCHAR(700)  NOT NULL PRIMARY KEY,
    kind         VARCHAR(40)   NOT NULL,
    scope        VARCHAR(80)   NOT NULL,
    due_at       BIGINT        NOT NULL,
    deadline     BIGINT,
    owner        VARCHAR(80),
    lease_until  BIGINT
);
CREATE INDEX work_items_due ON work_items (due_at);

-- The scheduler's progress: rule firings up to tick_at have been turned into jobs. Advanced by a
-- compare-and-set, so among several nodes exactly one fires each interval.
CREATE TABLE scheduler_state (
    name     VARCHAR(40)  NOT NULL PRIMARY KEY,
    tick_at  BIGINT       NOT NULL
);
