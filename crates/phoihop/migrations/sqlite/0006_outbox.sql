-- 0006 outbox: every change that something outside its transaction must learn of is
-- also a row here, written in the same transaction as the change. Today the reader is
-- each node's search index; each reader keeps its own cursor (the last id it applied)
-- and rows are never updated. topic 'case' names a case whose text, parties or
-- attachments changed (ref_id = cases.id); topic 'reindex' asks every node to rebuild
-- its index from scratch (`phoihop reindex`).
CREATE TABLE outbox (
    id     INTEGER PRIMARY KEY,
    at     BIGINT NOT NULL,
    topic  TEXT NOT NULL,
    ref_id BIGINT NOT NULL DEFAULT 0
);

-- Every case already there is news to an index that starts from nothing.
INSERT INTO outbox (at, topic, ref_id) SELECT updated_at, 'case', id FROM cases ORDER BY id;
