//! A few SQLite connections shared by the request handlers. Each query runs on tokio's blocking
//! threads, so a slow one or a lock held elsewhere holds up its own request only, never the
//! async workers that serve files and the health check; and each has a deadline.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, TryLockError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// A health check answers within this, whatever the pool is doing.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(1);

pub struct Pool {
    path: PathBuf,
    idle: Arc<Mutex<Vec<Connection>>>,
    permits: Arc<Semaphore>,
    /// SQLite takes one writer at a time: writers queue here, before taking a connection, so
    /// writes stuck behind a lock held elsewhere hold one connection at most and reads never
    /// wait behind them.
    writer: Arc<Semaphore>,
    /// For `/healthz` alone, so that a pool busy to the last connection does not make the
    /// portal look dead.
    health: Arc<Mutex<Connection>>,
    /// The file as it was opened: one deleted or replaced under the portal is not what it
    /// serves any more (the open connections still read the old one).
    identity: Option<FileId>,
    timeout: Duration,
}

impl Pool {
    /// `size` connections to the (already created and migrated) database at `path`; a query
    /// has `timeout` from asking for a connection to its answer, and waits for a lock held
    /// elsewhere half of it.
    pub fn open(path: &Path, size: usize, timeout: Duration) -> rusqlite::Result<Pool> {
        let busy = timeout / 2;
        let idle = (0..size.max(1))
            .map(|_| connect(path, busy))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Pool {
            path: path.to_path_buf(),
            permits: Arc::new(Semaphore::new(idle.len())),
            writer: Arc::new(Semaphore::new(1)),
            idle: Arc::new(Mutex::new(idle)),
            health: Arc::new(Mutex::new(connect(path, busy)?)),
            identity: FileId::of(path),
            timeout,
        })
    }

    /// Runs `query` on a connection of its own, off the async workers. Past the deadline the
    /// query is interrupted and the request answered 504; a lock held elsewhere past the busy
    /// timeout is a 503 (see `From<rusqlite::Error> for ApiError`).
    pub async fn run<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run_by(tokio::time::Instant::now() + self.timeout, query)
            .await
    }

    /// As `run`, for a query that writes: one at a time, in the order they came, under the
    /// same deadline.
    pub async fn write<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let deadline = tokio::time::Instant::now() + self.timeout;
        let _turn = acquire_by(deadline, &self.writer).await?;
        self.run_by(deadline, query).await
    }

    async fn run_by<T, F>(&self, deadline: tokio::time::Instant, query: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let permit = acquire_by(deadline, &self.permits).await?;
        let mut lease = Lease::take(&self.idle, permit)?;
        let interrupt = lease.connection().get_interrupt_handle();
        let task = tokio::task::spawn_blocking(move || query(lease.connection()));
        match tokio::time::timeout_at(deadline, task).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(panicked)) => Err(ApiError::Internal {
                detail: format!("a database query panicked: {panicked}"),
            }),
            Err(_elapsed) => {
                // The connection goes back to the pool as soon as SQLite gives up.
                interrupt.interrupt();
                Err(ApiError::Timeout)
            }
        }
    }

    /// Whether the database can still be read, and is still the file at its path.
    pub async fn check(&self) -> Result<(), ApiError> {
        let health = Arc::clone(&self.health);
        let (path, identity) = (self.path.clone(), self.identity);
        let task = tokio::task::spawn_blocking(move || {
            if FileId::of(&path) != identity {
                return Err(ApiError::Unavailable {
                    reason: format!(
                        "the database file {} is gone or was replaced since the portal started",
                        path.display()
                    ),
                });
            }
            // A check still stuck on an earlier request says enough.
            let connection = match health.try_lock() {
                Ok(connection) => connection,
                Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => return Err(ApiError::Busy),
            };
            connection
                .query_row("SELECT COUNT(*) FROM sqlite_schema", [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(drop)
                .map_err(ApiError::from)
        });
        match tokio::time::timeout(HEALTH_TIMEOUT, task).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(panicked)) => Err(ApiError::Internal {
                detail: format!("the health check panicked: {panicked}"),
            }),
            Err(_elapsed) => Err(ApiError::Timeout),
        }
    }

    /// Refuses new queries and closes the idle connections; one still running closes when it
    /// ends. Closing the last connection checkpoints the write-ahead log into the file.
    pub fn close(&self) {
        self.permits.close();
        self.writer.close();
        let idle = std::mem::take(&mut *lock(&self.idle));
        drop(idle);
    }
}

/// A permit of `permits` by `deadline`: past it the pool is busy.
async fn acquire_by(
    deadline: tokio::time::Instant,
    permits: &Arc<Semaphore>,
) -> Result<OwnedSemaphorePermit, ApiError> {
    match tokio::time::timeout_at(deadline, Arc::clone(permits).acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(_closed)) => Err(ApiError::ShuttingDown),
        Err(_elapsed) => Err(ApiError::Busy),
    }
}

fn connect(path: &Path, busy: Duration) -> rusqlite::Result<Connection> {
    // Never creates a file: start-up made it, and one gone since must not come back empty.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let connection = Connection::open_with_flags(path, flags)?;
    connection.busy_timeout(busy)?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    Ok(connection)
}

fn lock(idle: &Mutex<Vec<Connection>>) -> std::sync::MutexGuard<'_, Vec<Connection>> {
    // The list is only pushed to and popped from: a panic cannot leave it half-changed.
    idle.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A connection out of the pool; it goes back when the lease ends, even when its query
/// panicked (a transaction left open is rolled back as its guard unwinds).
struct Lease {
    connection: Option<Connection>,
    idle: Arc<Mutex<Vec<Connection>>>,
    permit: OwnedSemaphorePermit,
}

impl Lease {
    fn take(
        idle: &Arc<Mutex<Vec<Connection>>>,
        permit: OwnedSemaphorePermit,
    ) -> Result<Lease, ApiError> {
        // A permit is a connection: the pool holds as many of each, and a lease returns its
        // connection before its permit.
        let connection = lock(idle).pop().ok_or(ApiError::ShuttingDown)?;
        Ok(Lease {
            connection: Some(connection),
            idle: Arc::clone(idle),
            permit,
        })
    }

    fn connection(&mut self) -> &mut Connection {
        self.connection
            .as_mut()
            .unwrap_or_else(|| unreachable!("a lease holds its connection until dropped"))
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        // A pool closed meanwhile takes nothing back: the connection closes here.
        if let Some(connection) = self.connection.take()
            && !self.permit.semaphore().is_closed()
        {
            lock(&self.idle).push(connection);
        }
    }
}

/// Which file a path names: device and inode on Unix, where a file can be deleted or replaced
/// while open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    #[cfg(unix)]
    device: u64,
    #[cfg(unix)]
    inode: u64,
}

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        let metadata = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId {
                device: metadata.dev(),
                inode: metadata.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            Some(FileId {})
        }
    }
}
