//! A few database connections shared by the request handlers. Each query runs on tokio's
//! blocking threads, so a slow one or a lock held elsewhere holds up its own request only, never
//! the async workers that serve files and the health check; and each has a deadline.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, TryLockError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{Conn, DbError, Location, SqlExt, postgres, sqlite};
use crate::error::ApiError;

/// A health check answers within this, whatever the pool is doing.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(1);

pub struct Pool {
    connector: Arc<Connector>,
    idle: Arc<Mutex<Vec<Conn>>>,
    permits: Arc<Semaphore>,
    /// SQLite takes one writer at a time: writers queue here, before taking a connection, so
    /// writes stuck behind a lock held elsewhere hold one connection at most and reads never
    /// wait behind them. PostgreSQL locks rows, and takes as many writers as connections.
    writer: Arc<Semaphore>,
    /// For `/healthz` alone, so that a pool busy to the last connection does not make the
    /// portal look dead.
    health: Arc<Mutex<Conn>>,
    /// A SQLite file as it was opened: one deleted or replaced under the portal is not what it
    /// serves any more (the open connections still read the old one).
    identity: Option<FileId>,
}

impl Pool {
    /// `size` connections to the (already created and migrated) database; a query has
    /// `timeout` from asking for a connection to its answer, and waits for a lock held
    /// elsewhere half of it.
    pub fn open(location: &Location, size: usize, timeout: Duration) -> Result<Pool, DbError> {
        let connector = Connector {
            location: location.clone(),
            busy: timeout / 2,
            timeout,
        };
        let idle = (0..size.max(1))
            .map(|_| connector.connect())
            .collect::<Result<Vec<_>, _>>()?;
        let (writers, identity) = match location {
            Location::Sqlite(path) => (1, FileId::of(path)),
            Location::Postgres(_) => (idle.len(), None),
        };
        Ok(Pool {
            permits: Arc::new(Semaphore::new(idle.len())),
            writer: Arc::new(Semaphore::new(writers)),
            idle: Arc::new(Mutex::new(idle)),
            health: Arc::new(Mutex::new(connector.connect()?)),
            connector: Arc::new(connector),
            identity,
        })
    }

    /// Runs `query` on a connection of its own, off the async workers. Past the deadline the
    /// query is interrupted and the request answered 504; a lock held elsewhere past the busy
    /// timeout is a 503 (see `From<DbError> for ApiError`).
    pub async fn run<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run_by(tokio::time::Instant::now() + self.connector.timeout, query)
            .await
    }

    /// As `run`, for a query that writes: one at a time, in the order they came, under the
    /// same deadline.
    pub async fn write<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let deadline = tokio::time::Instant::now() + self.connector.timeout;
        let _turn = acquire_by(deadline, &self.writer).await?;
        self.run_by(deadline, query).await
    }

    async fn run_by<T, F>(&self, deadline: tokio::time::Instant, query: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Conn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let permit = acquire_by(deadline, &self.permits).await?;
        let mut lease = Lease::take(&self.idle, permit)?;
        let interrupt = Interrupt::of(lease.connection());
        let connector = Arc::clone(&self.connector);
        let task = tokio::task::spawn_blocking(move || {
            connector.replace_if_closed(lease.connection())?;
            query(lease.connection())
        });
        match tokio::time::timeout_at(deadline, task).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(panicked)) => Err(ApiError::Internal {
                detail: format!("a database query panicked: {panicked}"),
            }),
            Err(_elapsed) => {
                // The connection goes back to the pool as soon as the database gives up.
                interrupt.interrupt();
                Err(ApiError::Timeout)
            }
        }
    }

    /// Whether the database can still be read, and (SQLite) is still the file at its path.
    pub async fn check(&self) -> Result<(), ApiError> {
        let health = Arc::clone(&self.health);
        let (connector, identity) = (Arc::clone(&self.connector), self.identity);
        let task = tokio::task::spawn_blocking(move || {
            if let Location::Sqlite(path) = &connector.location
                && FileId::of(path) != identity
            {
                return Err(ApiError::Unavailable {
                    reason: format!(
                        "the database file {} is gone or was replaced since the portal started",
                        path.display()
                    ),
                });
            }
            // A check still stuck on an earlier request says enough.
            let mut connection = match health.try_lock() {
                Ok(connection) => connection,
                Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => return Err(ApiError::Busy),
            };
            connector.replace_if_closed(&mut connection)?;
            let touch = match &connector.location {
                Location::Sqlite(_) => "SELECT COUNT(*) FROM sqlite_schema",
                Location::Postgres(_) => "SELECT COUNT(*) FROM tem_schema",
            };
            connection
                .query_row(touch, &[], |r| r.get::<i64>(0))
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

/// How the pool's connections are made: at start-up, and again for one the server closed.
struct Connector {
    location: Location,
    /// How long a statement waits for a lock held elsewhere.
    busy: Duration,
    /// How long a query may take, from asking for a connection to its answer (PostgreSQL
    /// stops a statement on the server after as long).
    timeout: Duration,
}

impl Connector {
    fn connect(&self) -> Result<Conn, DbError> {
        Ok(match &self.location {
            Location::Sqlite(path) => Conn::Sqlite(sqlite::connect(path, self.busy)?),
            Location::Postgres(url) => {
                Conn::postgres(postgres::connect(url, self.busy, self.timeout)?)
            }
        })
    }

    /// A PostgreSQL connection the server closed (a restart, a fail-over) is replaced, so the
    /// next query takes a new one instead of failing every request that draws it. A database
    /// that takes no new connection (down, restarting, refusing them) is logged for the
    /// operator, and the client told to try again.
    fn replace_if_closed(&self, connection: &mut Conn) -> Result<(), ApiError> {
        if matches!(connection, Conn::Postgres(pg) if pg.is_closed()) {
            *connection = self.connect().map_err(|error| {
                tracing::error!(db = %self.location, %error, "cannot connect to the database");
                ApiError::database_unreachable()
            })?;
        }
        Ok(())
    }
}

/// How a query past its deadline is stopped.
enum Interrupt {
    Sqlite(rusqlite::InterruptHandle),
    Postgres(Option<::postgres::CancelToken>),
}

impl Interrupt {
    fn of(connection: &Conn) -> Interrupt {
        match connection {
            Conn::Sqlite(db) => Interrupt::Sqlite(db.get_interrupt_handle()),
            Conn::Postgres(pg) => Interrupt::Postgres(pg.cancel_token()),
        }
    }

    fn interrupt(self) {
        match self {
            Interrupt::Sqlite(handle) => handle.interrupt(),
            // Cancelling is a connection to the server of its own: off the async workers, and
            // nothing to wait for (the statement timeout stops it on the server in any case).
            Interrupt::Postgres(Some(token)) => drop(tokio::task::spawn_blocking(move || {
                token.cancel_query(::postgres::NoTls)
            })),
            Interrupt::Postgres(None) => {}
        }
    }
}

fn lock(idle: &Mutex<Vec<Conn>>) -> std::sync::MutexGuard<'_, Vec<Conn>> {
    // The list is only pushed to and popped from: a panic cannot leave it half-changed.
    idle.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A connection out of the pool; it goes back when the lease ends, even when its query
/// panicked (a transaction left open is rolled back as its guard unwinds).
struct Lease {
    connection: Option<Conn>,
    idle: Arc<Mutex<Vec<Conn>>>,
    permit: OwnedSemaphorePermit,
}

impl Lease {
    fn take(idle: &Arc<Mutex<Vec<Conn>>>, permit: OwnedSemaphorePermit) -> Result<Lease, ApiError> {
        // A permit is a connection: the pool holds as many of each, and a lease returns its
        // connection before its permit.
        let connection = lock(idle).pop().ok_or(ApiError::ShuttingDown)?;
        Ok(Lease {
            connection: Some(connection),
            idle: Arc::clone(idle),
            permit,
        })
    }

    fn connection(&mut self) -> &mut Conn {
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
