-- Attachment bytes inside the database, so that every node reads every file and they
-- travel with the database's own backups and replicas. Used on PostgreSQL (several
-- nodes); on SQLite, one node with one data folder, the bytes stay under files/ and
-- these tables stay empty. Content-addressed: a file is stored once whoever attaches
-- it, in chunks of at most 1 MiB, in order.
CREATE TABLE file_blobs (
    sha256     TEXT PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    chunks     BIGINT NOT NULL,
    stored_at  BIGINT NOT NULL
);

CREATE TABLE file_chunks (
    sha256 TEXT NOT NULL REFERENCES file_blobs (sha256),
    seq    BIGINT NOT NULL,
    bytes  BYTEA NOT NULL,
    PRIMARY KEY (sha256, seq)
);
