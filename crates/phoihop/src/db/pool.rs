//! A small blocking connection pool: connections are opened lazily up to a limit and
//! handed back on drop. Enough for one process; nothing here is shared between nodes.

use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::{Conn, DbError};

type Opener = Box<dyn Fn() -> Result<Box<dyn Conn>, DbError> + Send + Sync>;

pub struct Pool {
    opener: Opener,
    max: usize,
    state: Mutex<State>,
    returned: Condvar,
}

struct State {
    idle: Vec<Box<dyn Conn>>,
    open: usize,
}

/// How long a request waits for a free connection before giving up with a clear error.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(30);

impl Pool {
    pub fn new(max: usize, opener: Opener) -> Pool {
        Pool {
            opener,
            max: max.max(1),
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            returned: Condvar::new(),
        }
    }

    /// Opens one connection now, so that a bad location fails at start, not at the
    /// first request.
    pub fn warm(&self) -> Result<(), DbError> {
        drop(self.get()?);
        Ok(())
    }

    pub fn get(&self) -> Result<PooledConn<'_>, DbError> {
        let mut state = self.lock();
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(PooledConn {
                    pool: self,
                    conn: Some(conn),
                });
            }
            if state.open < self.max {
                state.open += 1;
                drop(state);
                return match (self.opener)() {
                    Ok(conn) => Ok(PooledConn {
                        pool: self,
                        conn: Some(conn),
                    }),
                    Err(e) => {
                        self.lock().open -= 1;
                        self.returned.notify_one();
                        Err(e)
                    }
                };
            }
            let (next, timeout) = self
                .returned
                .wait_timeout(state, CHECKOUT_TIMEOUT)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state = next;
            if timeout.timed_out() && state.idle.is_empty() {
                return Err(DbError::Unavailable(
                    "no free database connection after 30 s".into(),
                ));
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the Vec inconsistent.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing a PostgreSQL client blocks on its own small runtime, which tokio
        // forbids on an async worker; the pool is often dropped there (at shutdown),
        // so the connections are closed on a plain thread.
        let idle = std::mem::take(&mut self.lock().idle);
        if idle.is_empty() {
            return;
        }
        let closer = std::thread::spawn(move || drop(idle));
        if closer.join().is_err() {
            tracing::warn!("closing database connections failed");
        }
    }
}

pub struct PooledConn<'a> {
    pool: &'a Pool,
    conn: Option<Box<dyn Conn>>,
}

impl Deref for PooledConn<'_> {
    type Target = Box<dyn Conn>;
    fn deref(&self) -> &Self::Target {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl DerefMut for PooledConn<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.conn.as_mut().expect("connection present until drop")
    }
}

impl Drop for PooledConn<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            if std::thread::panicking() {
                // The connection may be mid-transaction; let it close.
                self.pool.lock().open -= 1;
            } else {
                self.pool.lock().idle.push(conn);
            }
            self.pool.returned.notify_one();
        }
    }
}
