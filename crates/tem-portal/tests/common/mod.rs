//! What the portal's suites share: the database a test runs over, and a portal running for
//! as long as the test holds it.

// Each suite uses the part it needs; the rest would be dead code in its binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use tem_portal::Config;
use tem_portal::db::Location;

/// A portal serving on a runtime thread of its own until dropped, which stops and joins it.
pub struct Running {
    pub base: String,
    /// How many stamps it wrote at start-up.
    pub stamps: usize,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts a portal on `config`, or the start-up error as the operator reads it.
pub fn try_start(config: Config) -> Result<Running, String> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            match tem_portal::start(config).await {
                Ok(portal) => {
                    let started = (portal.base_url().to_string(), portal.stamps().len());
                    sender.send(Ok(started)).unwrap();
                    portal
                        .run(async {
                            let _ = stopped.await;
                        })
                        .await
                        .unwrap();
                }
                Err(e) => sender.send(Err(e.to_string())).unwrap(),
            }
        });
    });
    match receiver.recv().unwrap() {
        Ok((base, stamps)) => Ok(Running {
            base,
            stamps,
            stop: Some(stop),
            thread: Some(thread),
        }),
        Err(message) => {
            thread.join().unwrap();
            Err(message)
        }
    }
}

/// The database of the test whose files are in `dir`, the same one each time it is asked for:
/// the SQLite file `sqlite`, or, with `TEM_TEST_POSTGRES` set to a PostgreSQL server's URL
/// (naming a database its user may create others from; `scripts/test.sh` starts one), a
/// database of the test's own on that server, named after `dir`.
pub fn database(dir: &Path, sqlite: PathBuf) -> Location {
    let Ok(server) = std::env::var("TEM_TEST_POSTGRES") else {
        return Location::Sqlite(sqlite);
    };
    let name: String = dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let name = format!("tem_test_{name}");
    let mut admin = postgres::Client::connect(&server, postgres::NoTls)
        .unwrap_or_else(|e| panic!("TEM_TEST_POSTGRES={server}: {e}"));
    let exists = admin
        .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
        .unwrap()
        .is_some();
    if !exists {
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
    }
    let base = server
        .rsplit_once('/')
        .map_or(server.as_str(), |(base, _)| base);
    Location::Postgres(format!("{base}/{name}"))
}
