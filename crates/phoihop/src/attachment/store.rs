//! Where the bytes of attachments live, named by their SHA-256 and never replaced or
//! deleted by anything a person does; the same bytes uploaded twice are stored once.
//!
//! - With SQLite (one node, one data folder): under `files/` in the data folder
//!   (`files/ab/cdef…`: the first two hex digits make the folder). A file is written to
//!   a temporary name beside its final one, flushed to disk, then linked into place, so
//!   a reader never sees half a file.
//! - With PostgreSQL (one or several nodes, each with its own data folder): in the
//!   database itself ([`super::blobs`]), so that every node serves every file and the
//!   files are inside the database's backups and replicas. Files a node kept under
//!   `files/` before that are moved in at start ([`adopt_folder`]).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::blobs;
use crate::db::{Backend, Conn, Db, DbError};

/// The content-addressed store of an installation.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
    in_database: bool,
}

/// The SHA-256 of `bytes`, in lower-case hex: the file's name in the store.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::hex(&Sha256::digest(bytes))
}

/// True for 64 lower-case hex digits, the only names a stored file has.
fn is_name(sha256: &str) -> bool {
    sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

pub(super) fn db_error(e: DbError) -> io::Error {
    match e {
        DbError::Unavailable(why) => io::Error::new(io::ErrorKind::NotConnected, why),
        other => io::Error::other(other.to_string()),
    }
}

impl FileStore {
    /// The store of an installation whose data folder is `data_dir` and whose database
    /// is `backend`.
    pub fn new(data_dir: &Path, backend: Backend) -> FileStore {
        FileStore {
            root: data_dir.join("files"),
            in_database: backend == Backend::Postgres,
        }
    }

    /// Whether the bytes live in the database (else under `files/`).
    pub fn in_database(&self) -> bool {
        self.in_database
    }

    /// Where the file named `sha256` lives in the folder store; `None` unless it is 64
    /// lower-case hex digits, so a stored value can never point outside the store.
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        is_name(sha256).then(|| self.root.join(&sha256[..2]).join(&sha256[2..]))
    }

    /// Stores `bytes` under `sha256` (their hash, computed by the caller once) unless
    /// they are there already. Blocking.
    pub fn put(&self, db: &Db, sha256: &str, bytes: &[u8]) -> io::Result<()> {
        if self.in_database {
            check_name(sha256)?;
            let now = crate::clock::now_ms();
            return db
                .write_blocking(|c| blobs::put(c, sha256, bytes, now))
                .map_err(db_error);
        }
        self.put_in_folder(sha256, bytes)
    }

    /// [`FileStore::put`] inside the caller's transaction on `conn` (the demo's replay).
    pub fn put_on(&self, conn: &mut dyn Conn, sha256: &str, bytes: &[u8]) -> io::Result<()> {
        if self.in_database {
            check_name(sha256)?;
            return blobs::put(conn, sha256, bytes, crate::clock::now_ms()).map_err(db_error);
        }
        self.put_in_folder(sha256, bytes)
    }

    /// The bytes named `sha256`. Blocking.
    pub fn read(&self, db: &Db, sha256: &str) -> io::Result<Vec<u8>> {
        check_name(sha256)?;
        if self.in_database {
            return db
                .read_blocking(|c| blobs::read(c, sha256))
                .map_err(db_error)?
                .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"));
        }
        let path = self.path_of(sha256).ok_or_else(not_a_name)?;
        fs::read(path)
    }

    /// The names of every stored file (backups). Blocking.
    pub fn names(&self, db: &Db) -> io::Result<Vec<String>> {
        if self.in_database {
            return db.read_blocking(blobs::names).map_err(db_error);
        }
        let mut out = Vec::new();
        for folder in read_dir_or_empty(&self.root)? {
            let folder = folder?;
            let prefix = folder.file_name().to_string_lossy().into_owned();
            if !folder.file_type()?.is_dir() {
                continue;
            }
            for file in fs::read_dir(folder.path())? {
                let name = format!("{prefix}{}", file?.file_name().to_string_lossy());
                if is_name(&name) {
                    out.push(name);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    fn put_in_folder(&self, sha256: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(sha256).ok_or_else(not_a_name)?;
        if path.exists() {
            return Ok(());
        }
        let folder = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(folder)?;
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
        // Beside the final name, so that linking never crosses file systems.
        let temporary = folder.join(format!(".tmp-{}", crate::hex(&random)));
        let result = write_then_link(&temporary, &path, bytes);
        // The temporary name goes whatever happened; the linked name stays.
        let _ = fs::remove_file(&temporary);
        result?;
        // Make the new directory entry itself durable.
        if let Ok(dir) = fs::File::open(folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

fn not_a_name() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256")
}

fn check_name(sha256: &str) -> io::Result<()> {
    if is_name(sha256) {
        Ok(())
    } else {
        Err(not_a_name())
    }
}

fn read_dir_or_empty(dir: &Path) -> io::Result<Vec<io::Result<fs::DirEntry>>> {
    match fs::read_dir(dir) {
        Ok(entries) => Ok(entries.collect()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Moves the files a node kept under `data_dir/files/` into the database (an
/// installation that ran on PostgreSQL before attachments lived there). Each file is
/// checked against its name; when all are in, the folder is renamed to
/// `files-moved-to-database` (kept, never deleted: the operator removes it once
/// satisfied), so the next start has nothing to do. Returns the number moved.
pub fn adopt_folder(db: &Db, data_dir: &Path) -> anyhow::Result<usize> {
    let folder = FileStore::new(data_dir, Backend::Sqlite);
    if db.backend() != Backend::Postgres || !folder.root.exists() {
        return Ok(0);
    }
    let store = FileStore::new(data_dir, Backend::Postgres);
    let mut moved = 0;
    for name in folder.names(db)? {
        let bytes = folder.read(db, &name)?;
        if sha256_hex(&bytes) != name {
            anyhow::bail!(
                "{} does not hold the bytes its name says; leaving files/ where it is",
                folder.path_of(&name).unwrap_or_default().display()
            );
        }
        if !db.read_blocking(|c| blobs::has(c, &name))? {
            store.put(db, &name, &bytes)?;
            moved += 1;
        }
    }
    let mut target = data_dir.join("files-moved-to-database");
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = data_dir.join(format!("files-moved-to-database-{n}"));
    }
    fs::rename(&folder.root, &target)?;
    tracing::info!(moved, kept = %target.display(), "attachment files moved into the database");
    Ok(moved)
}

fn write_then_link(temporary: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    // A hard link fails rather than replace an existing file: two uploads of the same
    // bytes at once both succeed and neither overwrites the other.
    match fs::hard_link(temporary, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        // File systems without hard links: rename, which is atomic too.
        Err(_) if !path.exists() => fs::rename(temporary, path),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_stored_once_under_their_hash_and_never_replaced() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = FileStore::new(dir.path(), Backend::Sqlite);
        let sha = sha256_hex(b"hello");
        store.put_in_folder(&sha, b"hello").expect("stored");
        let path = dir.path().join("files").join(&sha[..2]).join(&sha[2..]);
        assert_eq!(fs::read(&path).expect("there"), b"hello");
        // Whatever a second writer claims, the first bytes stay.
        store.put_in_folder(&sha, b"other").expect("no error");
        assert_eq!(fs::read(&path).expect("read"), b"hello");
        let names: Vec<_> = fs::read_dir(path.parent().expect("folder"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    #[test]
    fn only_hashes_name_files() {
        let store = FileStore::new(Path::new("/data"), Backend::Sqlite);
        assert_eq!(store.path_of("../../etc/passwd"), None);
        assert_eq!(store.path_of(&"A".repeat(64)), None);
        assert!(store.path_of(&"a".repeat(64)).is_some());
    }
}
