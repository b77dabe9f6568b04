//! Backup and restore: one portable format for both backends.
//!
//! `backup DIR` reads every table inside one read-only snapshot transaction (so the copy
//! is consistent while the server keeps writing), writes each as JSON lines, then copies
//! the content-addressed files (they never change once written, so copying after the
//! snapshot is safe: every file the snapshot names already exists). `restore DIR` loads
//! that into an empty database, SQLite or PostgreSQL alike, so a backup also moves an
//! installation from one backend to the other.

use std::fmt;
use std::fs;
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, bail};

use crate::attachment::FileStore;
use crate::audit::{self, Who};
use crate::config::Config;
use crate::db::{Backend, Conn, Db, DbError, MIGRATION_NAMES, TABLES_IN_ORDER, Value};

const FORMAT: u32 = 1;

#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: u32,
    created_at_ms: i64,
    migrations: Vec<String>,
    tables: Vec<TableCount>,
    files: usize,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct TableCount {
    name: String,
    rows: usize,
}

/// What a backup or restore did, for the terminal.
#[derive(Debug)]
pub struct Summary {
    verb: &'static str,
    rows: usize,
    tables: usize,
    files: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} rows in {} tables, {} files",
            self.verb, self.rows, self.tables, self.files
        )
    }
}

fn columns(conn: &mut dyn Conn, table: &str) -> Result<Vec<String>, DbError> {
    let rows = match conn.backend() {
        Backend::Sqlite => conn.query(
            &format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
            &[],
        )?,
        Backend::Postgres => conn.query(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            crate::params![table],
        )?,
    };
    rows.iter().map(|r| r.get(0)).collect()
}

/// Writes a consistent copy of everything into `out` (which must not exist or be empty).
pub fn backup(db: &Db, data_dir: &Path, out: &Path) -> anyhow::Result<Summary> {
    if out.exists()
        && fs::read_dir(out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!(
            "{} is not empty; choose a new folder for the backup",
            out.display()
        );
    }
    fs::create_dir_all(out.join("tables"))
        .with_context(|| format!("cannot create {}", out.display()))?;
    let tables = db.snapshot_blocking(|conn| -> anyhow::Result<Vec<TableCount>> {
        let mut counts = Vec::new();
        for table in TABLES_IN_ORDER {
            let cols = columns(conn, table)?;
            let path = out.join("tables").join(format!("{table}.jsonl"));
            let mut file = BufWriter::new(
                fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?,
            );
            writeln!(file, "{}", serde_json::to_string(&cols)?)?;
            let rows = conn.query(
                &format!("SELECT {} FROM {table} ORDER BY 1", cols.join(", ")),
                &[],
            )?;
            for row in &rows {
                writeln!(
                    file,
                    "{}",
                    serde_json::to_string(&row.clone().into_values())?
                )?;
            }
            file.flush()?;
            file.get_ref().sync_all()?;
            counts.push(TableCount {
                name: (*table).to_owned(),
                rows: rows.len(),
            });
        }
        Ok(counts)
    })?;
    let files = export_files(
        db,
        &FileStore::new(data_dir, db.backend()),
        &out.join("files"),
    )?;
    let manifest = Manifest {
        format: FORMAT,
        created_at_ms: crate::clock::now_ms(),
        migrations: MIGRATION_NAMES.iter().map(|m| (*m).to_owned()).collect(),
        tables,
        files,
    };
    write_manifest(out, &manifest)?;
    Ok(Summary {
        verb: "backed up",
        rows: manifest.tables.iter().map(|t| t.rows).sum(),
        tables: manifest.tables.len(),
        files,
    })
}

fn write_manifest(out: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let path = out.join("manifest.json");
    fs::write(&path, serde_json::to_vec_pretty(manifest)?)
        .with_context(|| format!("writing {}", path.display()))
}

/// Writes every stored attachment file into `to` as `ab/cdef…`, the same layout
/// whichever store they came from, so a backup moves between SQLite and PostgreSQL.
/// Files never change once stored, so reading them after the snapshot is safe.
fn export_files(db: &Db, store: &FileStore, to: &Path) -> anyhow::Result<usize> {
    let names = store.names(db)?;
    for name in &names {
        let bytes = store
            .read(db, name)
            .with_context(|| format!("reading attachment file {name}"))?;
        let folder = to.join(&name[..2]);
        fs::create_dir_all(&folder)?;
        let path = folder.join(&name[2..]);
        fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        fs::File::open(&path)?.sync_all()?;
    }
    Ok(names.len())
}

/// Puts the files of the backup in `dir` (its `files/` folder, laid out as a folder
/// store) into `store`, each checked against its name; returns their number.
fn import_files(db: &Db, store: &FileStore, dir: &Path) -> anyhow::Result<usize> {
    let backup = FileStore::new(dir, Backend::Sqlite);
    let names = backup.names(db)?;
    for name in &names {
        let bytes = backup.read(db, name)?;
        if crate::attachment::store::sha256_hex(&bytes) != *name {
            bail!("the backup's file {name} does not hold the bytes its name says; it is damaged");
        }
        store.put(db, name, &bytes)?;
    }
    Ok(names.len())
}

/// Loads the backup in `dir` into the (empty) database and data folder of `config`.
pub fn restore(config: &Config, dir: &Path) -> anyhow::Result<Summary> {
    let manifest: Manifest =
        serde_json::from_slice(&fs::read(dir.join("manifest.json")).with_context(|| {
            format!(
                "{} is not a Phối hợp backup (no manifest.json)",
                dir.display()
            )
        })?)
        .context("manifest.json is damaged")?;
    if manifest.format != FORMAT {
        bail!(
            "backup format {} is not known to this version",
            manifest.format
        );
    }
    if let Some(unknown) = manifest
        .migrations
        .iter()
        .find(|m| !MIGRATION_NAMES.contains(&m.as_str()))
    {
        bail!(
            "the backup comes from a newer version (migration {unknown}); restore it with that version"
        );
    }
    if config.database_url.is_none() && crate::db::sqlite_exists(&config.data_dir) {
        bail!(
            "{} already holds a database; restore only into an empty data folder",
            config.data_dir.display()
        );
    }
    let db = crate::open_db(config)?;
    let rows = db.write_blocking(|conn| -> anyhow::Result<usize> {
        for table in TABLES_IN_ORDER {
            let seeds = SEEDED.iter().find(|(t, _)| t == table);
            let n: i64 = match seeds {
                Some((_, seed)) => conn.scalar(
                    &format!("SELECT COUNT(*) FROM {table} WHERE NOT ({seed})"),
                    &[],
                )?,
                None => conn.scalar(&format!("SELECT COUNT(*) FROM {table}"), &[])?,
            };
            if n > 0 {
                bail!("the target database is not empty (table {table} has rows); restore only into an empty one");
            }
        }
        clear_seeds(conn, dir)?;
        match conn.backend() {
            Backend::Sqlite => conn.batch("PRAGMA defer_foreign_keys = ON")?,
            Backend::Postgres => conn.batch("SET CONSTRAINTS ALL DEFERRED")?,
        }
        let mut total = 0;
        for table in TABLES_IN_ORDER {
            let absent = !dir.join("tables").join(format!("{table}.jsonl")).exists();
            if absent && SEEDED.iter().any(|(t, _)| t == table) {
                continue;
            }
            if let Some((_, added_by)) = ADDED_LATER.iter().find(|(t, _)| t == table)
                && !manifest.migrations.iter().any(|m| m == added_by)
            {
                // A backup from before the migration that made the table.
                continue;
            }
            total += load_table(conn, dir, table)?;
        }
        if conn.backend() == Backend::Postgres {
            for table in TABLES_IN_ORDER {
                if columns(conn, table)?.first().map(String::as_str) == Some("id") {
                    conn.execute(
                        &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"),
                        &[],
                    )?;
                }
            }
        }
        audit::record(conn, &Who::command_line(), audit::action::RESTORED, ("installation", ""), &dir.display().to_string())?;
        Ok(total)
    })?;
    let store = FileStore::new(&config.data_dir, db.backend());
    let files = import_files(&db, &store, dir)?;
    Ok(Summary {
        verb: "restored",
        rows,
        tables: TABLES_IN_ORDER.len(),
        files,
    })
}

/// Rows the migrations put into a new database (the holiday rules of 0009), told by
/// a condition: they do not make it "not empty", and they give way to the backup's
/// copy of them, which says how the installation kept them since (rules added, rules
/// ended). A backup from before 0009, without the table, keeps the migration's rows.
const SEEDED: &[(&str, &str)] = &[("holiday_rules", "created_by IS NULL AND ended_by IS NULL")];

/// Tables a migration added, with that migration: a backup taken before it (whose
/// manifest does not list it) has no file for them, and they restore empty. A backup
/// that lists the migration and lacks the file is damaged, and refused.
const ADDED_LATER: &[(&str, &str)] = &[
    ("collaborator_localities", "0013_collaborators"),
    ("collaborator_fields", "0013_collaborators"),
    ("report_schedules", "0013_collaborators"),
];

fn clear_seeds(conn: &mut dyn Conn, dir: &Path) -> anyhow::Result<()> {
    for (table, seed) in SEEDED {
        if !dir.join("tables").join(format!("{table}.jsonl")).exists() {
            continue;
        }
        conn.execute(&format!("DELETE FROM {table} WHERE {seed}"), &[])?;
    }
    Ok(())
}

fn load_table(conn: &mut dyn Conn, dir: &Path, table: &str) -> anyhow::Result<usize> {
    let path = dir.join("tables").join(format!("{table}.jsonl"));
    let file =
        fs::File::open(&path).with_context(|| format!("the backup has no {}", path.display()))?;
    let mut lines = std::io::BufReader::new(file).lines();
    let Some(header) = lines.next() else {
        return Ok(0);
    };
    let cols: Vec<String> = serde_json::from_str(&header?)
        .with_context(|| format!("{}: bad header", path.display()))?;
    let known = columns(conn, table)?;
    if let Some(extra) = cols.iter().find(|c| !known.contains(c)) {
        bail!("{}: column {extra} does not exist here", path.display());
    }
    let placeholders: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.join(", "),
        placeholders.join(", ")
    );
    let mut n = 0;
    for (i, line) in lines.enumerate() {
        let values: Vec<Value> = serde_json::from_str(&line?)
            .with_context(|| format!("{} line {}: damaged", path.display(), i + 2))?;
        conn.execute(&sql, &values)?;
        n += 1;
    }
    Ok(n)
}
