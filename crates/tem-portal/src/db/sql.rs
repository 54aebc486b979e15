//! One way to run a statement on either store: SQLite, embedded, for the demo, the tests and a
//! single instance; PostgreSQL for several instances behind one database.
//!
//! Statements are written once, in the SQL both speak, with SQLite's numbered placeholders
//! (`?1`); on PostgreSQL they become `$1`. What the two spell differently (schema, pragmas,
//! catalogue queries) stays in `db::sqlite` and `db::postgres`. Rows come back as owned
//! values, read by column index, so no caller names a driver's types.

use std::collections::HashMap;
use std::fmt;

use postgres::types::{IsNull, ToSql, Type, to_sql_checked};

/// A value bound to a placeholder.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

/// What can be bound to a placeholder.
pub trait Param: Sync {
    fn value(&self) -> Value<'_>;
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl Param for i64 {
    fn value(&self) -> Value<'_> {
        Value::Int(*self)
    }
}

impl Param for usize {
    fn value(&self) -> Value<'_> {
        // No count the portal keeps comes near; saturating keeps the bound value an integer.
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl Param for bool {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, Param::value)
    }
}

/// One column of a row as read: all the portal stores is text and integers.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
}

/// A row, its columns by index as the statement selected them.
#[derive(Debug, Clone)]
pub struct Row(Vec<Cell>);

impl Row {
    /// Column `index` as `T`; a wrong type or a missing column is an error, never a default.
    pub fn get<T: FromCell>(&self, index: usize) -> Result<T, DbError> {
        let cell = self.0.get(index).ok_or(DbError::Column {
            index,
            expected: T::EXPECTED,
        })?;
        T::from_cell(cell).ok_or(DbError::Column {
            index,
            expected: T::EXPECTED,
        })
    }
}

/// What a column can be read as.
pub trait FromCell: Sized {
    const EXPECTED: &'static str;
    fn from_cell(cell: &Cell) -> Option<Self>;
}

impl FromCell for String {
    const EXPECTED: &'static str = "text";
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Text(text) => Some(text.clone()),
            _ => None,
        }
    }
}

impl FromCell for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Int(int) => Some(*int),
            _ => None,
        }
    }
}

impl FromCell for u64 {
    const EXPECTED: &'static str = "a non-negative integer";
    fn from_cell(cell: &Cell) -> Option<Self> {
        i64::from_cell(cell).and_then(|int| u64::try_from(int).ok())
    }
}

impl FromCell for usize {
    const EXPECTED: &'static str = "a non-negative integer";
    fn from_cell(cell: &Cell) -> Option<Self> {
        i64::from_cell(cell).and_then(|int| usize::try_from(int).ok())
    }
}

/// SQLite has no boolean: 0 and 1 stand for one, and PostgreSQL's are read as them.
impl FromCell for bool {
    const EXPECTED: &'static str = "0 or 1";
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Int(0) => Some(false),
            Cell::Int(1) => Some(true),
            _ => None,
        }
    }
}

impl<T: FromCell> FromCell for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_cell(cell: &Cell) -> Option<Self> {
        match cell {
            Cell::Null => Some(None),
            cell => T::from_cell(cell).map(Some),
        }
    }
}

/// A statement that failed, or a row that was not what the statement promised.
#[derive(Debug)]
#[non_exhaustive]
pub enum DbError {
    Sqlite(rusqlite::Error),
    Postgres(postgres::Error),
    /// A statement expected to answer one row answered none.
    NoRow,
    /// A column held something else than the type it was read as.
    Column {
        index: usize,
        expected: &'static str,
    },
    /// PostgreSQL answered a column type the portal never stores.
    Type {
        index: usize,
        found: String,
    },
    /// A value read or about to be written is not one the portal keeps (a stored key that is
    /// not a JWK, a record that cannot be signed).
    Invalid {
        detail: String,
    },
}

/// How a failure should be met: most are the portal's to log, some pass on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Another writer holds a lock, or two transactions crossed: the next try may pass.
    Busy,
    /// The statement was stopped at its deadline.
    Interrupted,
    /// A row with the same key is there already.
    Duplicate,
    /// The database cannot be reached: a server gone, a connection closed.
    Unreachable,
    Other,
}

impl DbError {
    pub fn failure(&self) -> Failure {
        match self {
            DbError::Sqlite(error) => match error.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    Failure::Busy
                }
                Some(rusqlite::ErrorCode::OperationInterrupted) => Failure::Interrupted,
                Some(rusqlite::ErrorCode::ConstraintViolation)
                    if matches!(
                        error,
                        rusqlite::Error::SqliteFailure(e, _)
                            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                                || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    ) =>
                {
                    Failure::Duplicate
                }
                _ => Failure::Other,
            },
            DbError::Postgres(error) => {
                use postgres::error::SqlState;
                match error.code() {
                    Some(code)
                        if *code == SqlState::T_R_SERIALIZATION_FAILURE
                            || *code == SqlState::T_R_DEADLOCK_DETECTED
                            || *code == SqlState::LOCK_NOT_AVAILABLE
                            || *code == SqlState::TOO_MANY_CONNECTIONS =>
                    {
                        Failure::Busy
                    }
                    Some(code) if *code == SqlState::QUERY_CANCELED => Failure::Interrupted,
                    Some(code) if *code == SqlState::UNIQUE_VIOLATION => Failure::Duplicate,
                    Some(code)
                        if code.code().starts_with("08")
                            || *code == SqlState::ADMIN_SHUTDOWN
                            || *code == SqlState::CANNOT_CONNECT_NOW =>
                    {
                        Failure::Unreachable
                    }
                    None if error.is_closed() || error.as_db_error().is_none() => {
                        Failure::Unreachable
                    }
                    _ => Failure::Other,
                }
            }
            DbError::NoRow
            | DbError::Column { .. }
            | DbError::Type { .. }
            | DbError::Invalid { .. } => Failure::Other,
        }
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Sqlite(error) => write!(f, "{error}"),
            // The server's own message says more than the driver's "db error".
            DbError::Postgres(error) => match error.as_db_error() {
                Some(db) => write!(f, "{}: {}", db.severity(), db.message()),
                None => write!(f, "{error}"),
            },
            DbError::NoRow => f.write_str("the query answered no row"),
            DbError::Column { index, expected } => {
                write!(f, "column {index} of the answer is not {expected}")
            }
            DbError::Invalid { detail } => f.write_str(detail),
            DbError::Type { index, found } => {
                write!(
                    f,
                    "column {index} of the answer has type {found}, which the portal never stores"
                )
            }
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DbError::Sqlite(error) => Some(error),
            DbError::Postgres(error) => Some(error),
            DbError::NoRow
            | DbError::Column { .. }
            | DbError::Type { .. }
            | DbError::Invalid { .. } => None,
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(error: rusqlite::Error) -> Self {
        DbError::Sqlite(error)
    }
}

impl From<postgres::Error> for DbError {
    fn from(error: postgres::Error) -> Self {
        DbError::Postgres(error)
    }
}

/// Somewhere statements run: a connection or a transaction on one, of either store.
pub trait Sql {
    fn execute(&mut self, sql: &str, params: &[&dyn Param]) -> Result<usize, DbError>;
    fn query(&mut self, sql: &str, params: &[&dyn Param]) -> Result<Vec<Row>, DbError>;
}

/// Reading rows, for every kind of `Sql`.
pub trait SqlExt: Sql {
    /// The first row's reading, or `DbError::NoRow`.
    fn query_row<T>(
        &mut self,
        sql: &str,
        params: &[&dyn Param],
        read: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.query_opt(sql, params, read)?.ok_or(DbError::NoRow)
    }

    /// The first row's reading, or None when there is no row.
    fn query_opt<T>(
        &mut self,
        sql: &str,
        params: &[&dyn Param],
        read: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        self.query(sql, params)?.first().map(read).transpose()
    }

    /// Every row's reading, in the order the statement gives them.
    fn query_map<T>(
        &mut self,
        sql: &str,
        params: &[&dyn Param],
        read: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        self.query(sql, params)?.iter().map(read).collect()
    }
}

impl<S: Sql + ?Sized> SqlExt for S {}

/// A connection to either store. The PostgreSQL client is boxed: it is three times the size
/// of a SQLite handle, and the pool moves connections in and out.
pub enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<PgConn>),
}

/// A PostgreSQL client with the statements it has prepared: the portal runs a few dozen
/// statements over and over, and a prepared one skips a round trip to be parsed again.
pub struct PgConn {
    /// Always Some but while being dropped.
    client: Option<postgres::Client>,
    statements: HashMap<String, postgres::Statement>,
}

impl PgConn {
    fn parts(
        &mut self,
    ) -> (
        &mut postgres::Client,
        &mut HashMap<String, postgres::Statement>,
    ) {
        let client = self
            .client
            .as_mut()
            .unwrap_or_else(|| unreachable!("a connection holds its client until dropped"));
        (client, &mut self.statements)
    }

    pub(super) fn is_closed(&self) -> bool {
        self.client.as_ref().is_none_or(postgres::Client::is_closed)
    }

    pub(super) fn cancel_token(&self) -> Option<postgres::CancelToken> {
        self.client.as_ref().map(postgres::Client::cancel_token)
    }
}

/// Closing a client blocks on its own runtime, which tokio forbids on a thread that drives
/// async tasks; the pool's connections are dropped there when the portal stops. Within a
/// runtime the client is closed on a thread of its own.
impl Drop for PgConn {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            std::thread::spawn(move || drop(client));
        }
    }
}

/// A transaction on either store: rolled back when dropped, unless committed.
pub enum Tx<'c> {
    Sqlite(rusqlite::Transaction<'c>),
    Postgres {
        tx: postgres::Transaction<'c>,
        statements: &'c mut HashMap<String, postgres::Statement>,
    },
}

impl Conn {
    /// A PostgreSQL client as a connection, with no statement prepared yet.
    pub(super) fn postgres(client: postgres::Client) -> Conn {
        Conn::Postgres(Box::new(PgConn {
            client: Some(client),
            statements: HashMap::new(),
        }))
    }

    /// A transaction that reads and may write.
    pub fn transaction(&mut self) -> Result<Tx<'_>, DbError> {
        match self {
            Conn::Sqlite(db) => Ok(Tx::Sqlite(db.transaction()?)),
            Conn::Postgres(pg) => {
                let (client, statements) = pg.parts();
                Ok(Tx::Postgres {
                    tx: client.transaction()?,
                    statements,
                })
            }
        }
    }

    /// A transaction that writes, and so takes SQLite's write lock before it reads: two of
    /// them never both read and then wait for each other's lock. PostgreSQL locks rows.
    pub fn write_transaction(&mut self) -> Result<Tx<'_>, DbError> {
        match self {
            Conn::Sqlite(db) => Ok(Tx::Sqlite(
                db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?,
            )),
            Conn::Postgres(_) => self.transaction(),
        }
    }

    /// Runs statements without parameters, as one script.
    pub fn execute_batch(&mut self, sql: &str) -> Result<(), DbError> {
        match self {
            Conn::Sqlite(db) => Ok(db.execute_batch(sql)?),
            Conn::Postgres(pg) => Ok(pg.parts().0.batch_execute(sql)?),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Conn::Postgres(_))
    }
}

impl Tx<'_> {
    pub fn commit(self) -> Result<(), DbError> {
        match self {
            Tx::Sqlite(tx) => Ok(tx.commit()?),
            Tx::Postgres { tx, .. } => Ok(tx.commit()?),
        }
    }
}

impl Sql for Conn {
    fn execute(&mut self, sql: &str, params: &[&dyn Param]) -> Result<usize, DbError> {
        match self {
            Conn::Sqlite(db) => sqlite_execute(db, sql, params),
            Conn::Postgres(pg) => {
                let (client, statements) = pg.parts();
                pg_execute(client, statements, sql, params)
            }
        }
    }

    fn query(&mut self, sql: &str, params: &[&dyn Param]) -> Result<Vec<Row>, DbError> {
        match self {
            Conn::Sqlite(db) => sqlite_query(db, sql, params),
            Conn::Postgres(pg) => {
                let (client, statements) = pg.parts();
                pg_query(client, statements, sql, params)
            }
        }
    }
}

impl Sql for Tx<'_> {
    fn execute(&mut self, sql: &str, params: &[&dyn Param]) -> Result<usize, DbError> {
        match self {
            Tx::Sqlite(tx) => sqlite_execute(tx, sql, params),
            Tx::Postgres { tx, statements } => pg_execute(tx, statements, sql, params),
        }
    }

    fn query(&mut self, sql: &str, params: &[&dyn Param]) -> Result<Vec<Row>, DbError> {
        match self {
            Tx::Sqlite(tx) => sqlite_query(tx, sql, params),
            Tx::Postgres { tx, statements } => pg_query(tx, statements, sql, params),
        }
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(int) => ValueRef::Integer(*int),
            Value::Text(text) => ValueRef::Text(text.as_bytes()),
        }))
    }
}

fn sqlite_values<'p>(params: &'p [&dyn Param]) -> Vec<Value<'p>> {
    params.iter().map(|param| param.value()).collect()
}

fn sqlite_execute(
    db: &rusqlite::Connection,
    sql: &str,
    params: &[&dyn Param],
) -> Result<usize, DbError> {
    let values = sqlite_values(params);
    Ok(db
        .prepare_cached(sql)?
        .execute(rusqlite::params_from_iter(values))?)
}

fn sqlite_query(
    db: &rusqlite::Connection,
    sql: &str,
    params: &[&dyn Param],
) -> Result<Vec<Row>, DbError> {
    let values = sqlite_values(params);
    let mut statement = db.prepare_cached(sql)?;
    let columns = statement.column_count();
    let mut rows = statement.query(rusqlite::params_from_iter(values))?;
    let mut answer = Vec::new();
    while let Some(row) = rows.next()? {
        let cells = (0..columns)
            .map(|index| {
                use rusqlite::types::ValueRef;
                Ok(match row.get_ref(index)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(int) => Cell::Int(int),
                    ValueRef::Text(text) => Cell::Text(String::from_utf8_lossy(text).into_owned()),
                    ValueRef::Real(_) | ValueRef::Blob(_) => {
                        return Err(DbError::Column {
                            index,
                            expected: "text or an integer",
                        });
                    }
                })
            })
            .collect::<Result<_, DbError>>()?;
        answer.push(Row(cells));
    }
    Ok(answer)
}

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            // Integers are BIGINT in the schema; a count compared with a literal may still be
            // typed otherwise by the server.
            Value::Int(int) if *ty == Type::INT4 => i32::try_from(*int)?.to_sql(ty, out),
            Value::Int(int) if *ty == Type::BOOL => (*int != 0).to_sql(ty, out),
            Value::Int(int) => int.to_sql(ty, out),
            Value::Text(text) => text.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        <i64 as ToSql>::accepts(ty)
            || <i32 as ToSql>::accepts(ty)
            || <bool as ToSql>::accepts(ty)
            || <&str as ToSql>::accepts(ty)
    }

    to_sql_checked!();
}

/// SQLite's `?N` as PostgreSQL's `$N`. The portal's statements hold no `?` but placeholders,
/// nor quoted text with one, so no parsing is needed beyond skipping quotes.
fn postgres_dialect(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            c => out.push(c),
        }
    }
    out
}

fn pg_statement<C: postgres::GenericClient>(
    client: &mut C,
    statements: &mut HashMap<String, postgres::Statement>,
    sql: &str,
) -> Result<postgres::Statement, DbError> {
    if let Some(statement) = statements.get(sql) {
        return Ok(statement.clone());
    }
    let statement = client.prepare(&postgres_dialect(sql))?;
    statements.insert(sql.to_string(), statement.clone());
    Ok(statement)
}

fn pg_values<'p>(params: &'p [&dyn Param]) -> Vec<Value<'p>> {
    params.iter().map(|param| param.value()).collect()
}

fn pg_execute<C: postgres::GenericClient>(
    client: &mut C,
    statements: &mut HashMap<String, postgres::Statement>,
    sql: &str,
    params: &[&dyn Param],
) -> Result<usize, DbError> {
    let statement = pg_statement(client, statements, sql)?;
    let values = pg_values(params);
    let bound: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
    let changed = client.execute(&statement, &bound)?;
    Ok(usize::try_from(changed).unwrap_or(usize::MAX))
}

fn pg_query<C: postgres::GenericClient>(
    client: &mut C,
    statements: &mut HashMap<String, postgres::Statement>,
    sql: &str,
    params: &[&dyn Param],
) -> Result<Vec<Row>, DbError> {
    let statement = pg_statement(client, statements, sql)?;
    let values = pg_values(params);
    let bound: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
    client
        .query(&statement, &bound)?
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|index| pg_cell(row, index))
                .collect::<Result<_, _>>()
                .map(Row)
        })
        .collect()
}

fn pg_cell(row: &postgres::Row, index: usize) -> Result<Cell, DbError> {
    let ty = row.columns()[index].type_();
    let cell = if *ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(index)?.map(Cell::Int)
    } else if *ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(index)?
            .map(|int| Cell::Int(int.into()))
    } else if *ty == Type::INT2 {
        row.try_get::<_, Option<i16>>(index)?
            .map(|int| Cell::Int(int.into()))
    } else if *ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(index)?
            .map(|b| Cell::Int(b.into()))
    } else if <&str as postgres::types::FromSql>::accepts(ty) {
        row.try_get::<_, Option<String>>(index)?.map(Cell::Text)
    } else {
        return Err(DbError::Type {
            index,
            found: ty.name().to_string(),
        });
    };
    Ok(cell.unwrap_or(Cell::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_the_postgres_way_outside_quotes() {
        assert_eq!(
            postgres_dialect("SELECT a FROM t WHERE b = ?1 AND c = '?' AND (?2 IS NULL OR d = ?2)"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND ($2 IS NULL OR d = $2)"
        );
    }

    #[test]
    fn rows_read_as_the_types_asked_and_refuse_others() {
        let mut db = Conn::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        let (text, int, null, flag): (String, i64, Option<String>, bool) = db
            .query_row(
                "SELECT ?1, ?2, ?3, 1",
                &[&"chè", &7i64, &None::<String>],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!((text.as_str(), int, null, flag), ("chè", 7, None, true));
        let wrong = db.query_row("SELECT 'x'", &[], |r| r.get::<i64>(0));
        assert!(matches!(wrong, Err(DbError::Column { index: 0, .. })));
        let none = db.query_opt("SELECT 1 WHERE 0", &[], |r| r.get::<i64>(0));
        assert!(matches!(none, Ok(None)));
    }
}
