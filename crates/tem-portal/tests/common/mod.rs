//! What the HTTP suites share: the database a test runs over.

use std::path::{Path, PathBuf};

use tem_portal::db::Location;

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
