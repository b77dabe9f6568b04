//! The bytes of attachments, in the data folder under `files/`, named by their SHA-256
//! (`files/ab/cdef…`: the first two hex digits make the folder). A file is written to a
//! temporary name beside its final one, flushed to disk, then linked into place, so a
//! reader never sees half a file; once there it is never overwritten or deleted by
//! anything a person does. The same bytes uploaded twice are stored once. With
//! PostgreSQL too the files stay on this disk (the database holds the rows).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The content-addressed store under a data folder.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

/// The SHA-256 of `bytes`, in lower-case hex: the file's name in the store.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::hex(&Sha256::digest(bytes))
}

impl FileStore {
    pub fn new(data_dir: &Path) -> FileStore {
        FileStore {
            root: data_dir.join("files"),
        }
    }

    /// Where the file named `sha256` lives; `None` unless it is 64 lower-case hex
    /// digits, so a stored value can never point outside the store.
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        valid.then(|| self.root.join(&sha256[..2]).join(&sha256[2..]))
    }

    /// Stores `bytes` under `sha256` (their hash, computed by the caller once) unless
    /// they are there already.
    pub fn put(&self, sha256: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256"))?;
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

    pub fn read(&self, sha256: &str) -> io::Result<Vec<u8>> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256"))?;
        fs::read(path)
    }
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
        let store = FileStore::new(dir.path());
        let sha = sha256_hex(b"hello");
        store.put(&sha, b"hello").expect("stored");
        let path = dir.path().join("files").join(&sha[..2]).join(&sha[2..]);
        assert_eq!(fs::read(&path).expect("there"), b"hello");
        // Whatever a second writer claims, the first bytes stay.
        store.put(&sha, b"other").expect("no error");
        assert_eq!(store.read(&sha).expect("read"), b"hello");
        let names: Vec<_> = fs::read_dir(path.parent().expect("folder"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    #[test]
    fn only_hashes_name_files() {
        let store = FileStore::new(Path::new("/data"));
        assert_eq!(store.path_of("../../etc/passwd"), None);
        assert_eq!(store.path_of(&"A".repeat(64)), None);
        assert!(store.path_of(&"a".repeat(64)).is_some());
    }
}
