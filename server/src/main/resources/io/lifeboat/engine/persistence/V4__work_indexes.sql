-- The work queue holds a row per retained recovery point (its expiry), so the scans the workers
-- run every tick need indexes: due work by kind, claims whose lease ran out, the next deadline.
CREATE INDEX work_items_kind_due ON work_items (kind, due_at);
CREATE INDEX work_items_lease ON work_items (lease_until);
CREATE INDEX work_items_deadline ON work_items (deadline);
